import { open, readdir } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { labelText } from '../../../shared/socket-rules';

/**
 * What one folder says about the project it belongs to: a manifest's name and the git repository
 * it roots. Only files are read (never `git`): a folder listing, at most one manifest (256 KiB
 * read at most) and `.git/HEAD`. Everything read is somebody's file: hostile text, cleaned and cut.
 */

/** Manifests in the order one folder's files are tried. */
const MANIFESTS = ['package.json', 'pyproject.toml', 'Cargo.toml', 'go.mod'] as const;
const MAX_READ = 256 * 1024;
const MAX_NAME = 100;

export interface FolderFacts {
  /** A manifest was found here (its name, or null when it names none). */
  manifest: { name: string | null } | null;
  /** This folder is a git work tree root: its branch (short sha when detached; null when unreadable). */
  git: { branch: string | null } | null;
}

/** The start of a file, at most MAX_READ bytes ('' when unreadable): a huge file costs no more. */
async function readHead(path: string): Promise<string> {
  const fh = await open(path, 'r').catch(() => null);
  if (!fh) return '';
  try {
    const buf = Buffer.alloc(MAX_READ);
    const { bytesRead } = await fh.read(buf, 0, MAX_READ, 0);
    return buf.subarray(0, bytesRead).toString('utf8');
  } catch {
    return '';
  } finally {
    await fh.close().catch(() => {});
  }
}

function clean(name: unknown): string | null {
  if (typeof name !== 'string') return null;
  const text = labelText(name).slice(0, MAX_NAME);
  return text === '' ? null : text;
}

/** `name = "x"` inside the first of `sections` present in a TOML file (enough for manifests). */
export function tomlName(text: string, sections: readonly string[]): string | null {
  let section = '';
  const found = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    const head = /^\[\s*([^\]]+?)\s*\]$/.exec(line);
    if (head) {
      section = head[1] as string;
      continue;
    }
    const m = /^name\s*=\s*(?:"([^"]*)"|'([^']*)')/.exec(line);
    if (m && sections.includes(section) && !found.has(section)) found.set(section, m[1] ?? m[2] ?? '');
  }
  for (const s of sections) if (found.has(s)) return clean(found.get(s));
  return null;
}

/** go.mod's module path, last segment (`example.com/shop/v2` → `shop`: a major version is not a name). */
export function goModuleName(text: string): string | null {
  const path = /^\s*module\s+"?([^\s"]+)"?/m.exec(text)?.[1];
  if (!path) return null;
  const parts = path.split('/').filter(Boolean);
  const last = parts.at(-1);
  const name = last && /^v\d+$/.test(last) && parts.length > 1 ? parts.at(-2) : last;
  return clean(name);
}

/** The name a manifest gives, or null (invalid JSON, no name field). */
export function manifestName(file: (typeof MANIFESTS)[number], text: string): string | null {
  switch (file) {
    case 'package.json':
      try {
        return clean((JSON.parse(text) as { name?: unknown })?.name);
      } catch {
        return null;
      }
    case 'pyproject.toml':
      return tomlName(text, ['project', 'tool.poetry']);
    case 'Cargo.toml':
      return tomlName(text, ['package', 'workspace.package']);
    case 'go.mod':
      return goModuleName(text);
  }
}

/** Branch from a HEAD file: `ref: refs/heads/main` → `main`; a detached sha → its first 7 digits. */
export function headBranch(head: string): string | null {
  const text = head.trim();
  const ref = /^ref:\s*refs\/heads\/(.+)$/.exec(text)?.[1];
  if (ref) return clean(ref);
  if (/^[0-9a-f]{40,64}$/i.test(text)) return text.slice(0, 7).toLowerCase();
  return null;
}

/**
 * The git directory for a work tree root: `.git` itself, or where a `.git` file points
 * (`gitdir: …`, as `git worktree` and submodules write it; relative to the folder).
 */
async function gitDir(folder: string, isFile: boolean): Promise<string | null> {
  const dotGit = join(folder, '.git');
  if (!isFile) return dotGit;
  const m = /^gitdir:\s*(.+?)\s*$/m.exec(await readHead(dotGit));
  if (!m?.[1]) return null;
  return isAbsolute(m[1]) ? m[1] : resolve(folder, m[1]);
}

/** Read what one folder says (one listing; a manifest and HEAD only when present). */
export async function folderFacts(folder: string): Promise<FolderFacts> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  const names = new Map(entries.map((e) => [e.name, e]));
  let manifest: FolderFacts['manifest'] = null;
  for (const file of MANIFESTS) {
    const entry = names.get(file);
    if (!entry || entry.isDirectory()) continue;
    manifest = { name: manifestName(file, await readHead(join(folder, file))) };
    break;
  }
  let git: FolderFacts['git'] = null;
  const dotGit = names.get('.git');
  if (dotGit) {
    const dir = await gitDir(folder, !dotGit.isDirectory());
    git = { branch: dir ? headBranch(await readHead(join(dir, 'HEAD'))) : null };
  }
  return { manifest, git };
}

/** The folders a walk looks at, nearest first: below `stop` (exclusive) and at most `maxDepth`. */
export function walkFolders(cwd: string, stops: readonly string[], maxDepth: number): string[] {
  const out: string[] = [];
  let dir = cwd;
  while (out.length < maxDepth && !stops.includes(dir)) {
    out.push(dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return out;
}

/** The folder's own name, for a project whose manifest names none. */
export function folderName(dir: string): string {
  return clean(basename(dir)) ?? dir;
}
