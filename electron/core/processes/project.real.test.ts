import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine';
import { ProcNetSource } from '../sources/proc-net/proc-net-source';
import { type Listener, spawnListener } from '../testing/children';
import { InodeOwners } from './inode-owners';
import { ProcPidReader } from './proc-pid-info';
import { ProjectResolver } from './project';

/**
 * Project detection on real folders: a package.json + a real `git init` on a branch, and a real
 * server started in a subfolder of it, seen through the engine's row.
 */

const linux = process.platform === 'linux';
let root = '';
const children: Listener[] = [];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  }).trim();
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'portscope-project-')));
});
afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function makeRepo(name: string, branch: string): string {
  const dir = join(root, name);
  mkdirSync(join(dir, 'src', 'server'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `@acme/${name}`, private: true }));
  git(dir, 'init', '-q', '-b', branch);
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'init');
  return dir;
}

describe.runIf(linux)('project of a real process', () => {
  it('names the package and the branch of the repository a server runs in', async () => {
    const dir = makeRepo('shop-web', 'feature/login');
    const server = await spawnListener({ cwd: join(dir, 'src', 'server') });
    children.push(server);
    const engine = createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners() });
    const { rows } = await engine.collect('listening');
    const row = rows.find((r) => r.localPort === server.port && r.protocol === 'tcp');
    expect(row?.process?.cwd).toBe(join(dir, 'src', 'server'));
    expect(row?.process?.project).toEqual({ name: '@acme/shop-web', dir, branch: 'feature/login' });
    expect(row?.process?.label).toBe('node -e');
  });

  it('reads a worktree through its .git file, and a detached HEAD as a short sha', async () => {
    const dir = makeRepo('api', 'main');
    const wt = join(root, 'api-wt');
    git(dir, 'worktree', 'add', '-q', '-b', 'hotfix', wt);
    const sha = git(dir, 'rev-parse', 'HEAD');
    const projects = new ProjectResolver({ stops: ['/'] });
    expect(await projects.projectOf(wt)).toEqual({ name: '@acme/api', dir: wt, branch: 'hotfix' });
    git(wt, 'checkout', '-q', '--detach');
    // A fresh resolver: the folder cache would (rightly, for 30 s) still say 'hotfix'.
    const fresh = new ProjectResolver({ stops: ['/'] });
    expect(await fresh.projectOf(wt)).toEqual({ name: '@acme/api', dir: wt, branch: sha.slice(0, 7) });
  });

  it('walks once per new process, whatever the refresh rate', async () => {
    const dir = makeRepo('walk-once', 'main');
    const server = await spawnListener({ cwd: dir });
    children.push(server);
    const reader = new ProcPidReader();
    const projects = (reader as unknown as { projects: ProjectResolver }).projects;
    for (let i = 0; i < 5; i++) {
      const info = (await reader.read([server.pid])).get(server.pid);
      expect(info?.project?.name).toBe('@acme/walk-once');
    }
    expect(projects.walks).toBe(1);
  });

  it('uses the manifest name of pyproject, Cargo and go.mod, and the folder name for git alone', async () => {
    const cases: [string, string, string][] = [
      ['py', 'pyproject.toml', '[build-system]\nrequires = []\n[project]\nname = "ml-api"\n'],
      ['poetry', 'pyproject.toml', '[tool.poetry]\nname = "legacy-app"\nversion = "1"\n'],
      ['rust', 'Cargo.toml', '[package]\nname = "axum-demo"\n[dependencies]\nname = "not-this"\n'],
      ['gomod', 'go.mod', 'module github.com/acme/payments/v2\n\ngo 1.22\n'],
    ];
    const projects = new ProjectResolver({ stops: ['/'] });
    const names: string[] = [];
    for (const [folder, file, text] of cases) {
      mkdirSync(join(root, folder));
      writeFileSync(join(root, folder, file), text);
      names.push((await projects.projectOf(join(root, folder)))?.name ?? '');
    }
    expect(names).toEqual(['ml-api', 'legacy-app', 'axum-demo', 'payments']);
    const bare = join(root, 'bare-repo');
    mkdirSync(join(bare, 'deep'), { recursive: true });
    git(bare, 'init', '-q', '-b', 'trunk');
    expect(await projects.projectOf(join(bare, 'deep'))).toEqual({
      name: 'bare-repo',
      dir: bare,
      branch: 'trunk',
    });
  });

  it('stops at its stop folders and cleans hostile names', async () => {
    const dir = join(root, 'hostile');
    mkdirSync(join(dir, 'a'), { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: '\u001b[31mevil\u202e\u200bname' }));
    const projects = new ProjectResolver({ stops: ['/'] });
    expect((await projects.projectOf(join(dir, 'a')))?.name).toBe('[31mevilname');
    expect(await new ProjectResolver({ stops: [dir] }).projectOf(join(dir, 'a'))).toBeNull();
    expect(await projects.projectOf('/')).toBeNull();
  });
});
