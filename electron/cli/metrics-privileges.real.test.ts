import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseScrape, series } from '../core/metrics/testing/scrape';
import { cleanupChildren, spawnReady } from '../core/testing/kill-children';
import { openTcp, portOf } from '../core/testing/sockets';

/**
 * The trade-off deploy/systemd/portscope-metrics.service documents, measured: the exporter run
 * as an unprivileged user (as DynamicUser= does) lists another user's listener without its
 * process name; with CAP_SYS_PTRACE + CAP_DAC_READ_SEARCH (the unit's opt-in drop-in) it names it.
 */

const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
const isRoot = process.getuid?.() === 0;
const root = join(__dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'portscope-priv-'));
chmodSync(dir, 0o755);
const script = join(dir, 'run-metrics.mts');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const running: ChildProcess[] = [];
afterEach(() => {
  for (const p of running.splice(0)) if (p.exitCode === null) p.kill('SIGKILL');
  cleanupChildren();
});

function scrapeBody(port: number): Promise<string> {
  return new Promise((resolve) => {
    get(`http://127.0.0.1:${port}/metrics`, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve(body));
    }).on('error', () => resolve(''));
  });
}

async function freePort(): Promise<number> {
  const s = await openTcp('127.0.0.1');
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

/** `portscope metrics` as uid/gid 65534 with only `caps`; the labels of `target`'s listener once it shows. */
async function labelsAsNobody(caps: string[], target: number, done: (process: string) => boolean) {
  const port = await freePort();
  writeFileSync(
    script,
    `const { runCli } = await import(${JSON.stringify(join(root, 'electron/cli/index.ts'))});\n` +
      `await runCli(['metrics', '--listen', '127.0.0.1:${port}', '--interval', '250']);\n`,
  );
  chmodSync(script, 0o644);
  const set = ['-all', ...caps.map((c) => `+${c}`)].join(',');
  const proc = spawn(
    SETPRIV as string,
    [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      `--inh-caps=${set}`,
      `--ambient-caps=${set}`,
      `--bounding-set=${set}`,
      process.execPath,
      '--import',
      'tsx',
      script,
    ],
    { cwd: root, stdio: 'ignore', env: { ...process.env, HOME: dir, XDG_CONFIG_HOME: join(dir, 'config') } },
  );
  running.push(proc);
  const end = Date.now() + 60_000;
  let labels: Record<string, string> | undefined;
  while (Date.now() < end && proc.exitCode === null) {
    const samples = parseScrape(await scrapeBody(port));
    // Its own listener named: this poll did resolve holders, so a missing name is a permission.
    const self = series(samples, 'portscope_listening', { port: String(port) })[0];
    labels = series(samples, 'portscope_listening', { port: String(target) })[0]?.labels;
    if (self?.labels.process === 'node' && labels && done(labels.process ?? '')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  return labels;
}

describe.skipIf(!SETPRIV || !isRoot)(
  'the exporter as an unprivileged user (skipped: needs root and setpriv to switch users)',
  () => {
    it('lists root listeners without their process, and names them with the drop-in capabilities', async () => {
      // A listener of root's (this test's user), which the exporter will not run as.
      const child = await spawnReady('/usr/bin/python3', [
        '-c',
        "import socket, json, signal; s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); print(json.dumps({'port': s.getsockname()[1]}), flush=True); signal.pause()",
      ]);
      const port = child.ready.port as number;

      const plain = await labelsAsNobody([], port, () => true);
      expect(plain).toMatchObject({ user: 'root', process: '', address: '127.0.0.1' });

      const named = await labelsAsNobody(['sys_ptrace', 'dac_read_search'], port, (p) => p !== '');
      expect(named).toMatchObject({ user: 'root', process: 'python3' });
    }, 150_000);
  },
);
