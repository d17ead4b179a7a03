import { readlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import type { ProjectInfo } from '../../../shared/model';
import { type FolderFacts, folderFacts, folderName, walkFolders } from './project-files';

/**
 * Which project a process works in: its working directory (`/proc/<pid>/cwd`), the nearest
 * manifest above it (package.json, pyproject.toml, Cargo.toml, go.mod) and the git work tree with
 * its branch, read from files (`.git/HEAD`, a worktree's `.git` file), never by running git.
 *
 * Cost: one walk per new process. Results are cached per (PID, start id), so the engine's slow
 * refresh re-reads nothing; folder facts are cached per folder for a while, so ten workers of one
 * app (or a new process in a known project) read no manifest again. The walk is bounded: at most
 * MAX_DEPTH folders, never the root or the folder that holds the home folders.
 */

const MAX_DEPTH = 12;
/** Folder facts older than this are read again (a checkout changes the branch; a rename the name). */
const FOLDER_TTL_MS = 30_000;
const MAX_PROCESSES = 4096;
const MAX_FOLDERS = 2048;

export interface ProcessProject {
  cwd: string;
  project: ProjectInfo | null;
}

export interface ProjectResolverOptions {
  procRoot?: string;
  /** The walk stops below these folders (default: `/` and the folder holding $HOME). */
  stops?: readonly string[];
  now?: () => number;
}

export class ProjectResolver {
  private readonly procRoot: string;
  private readonly stops: readonly string[];
  private readonly now: () => number;
  private readonly processes = new Map<number, { startId: string; result: Promise<ProcessProject> }>();
  private readonly folders = new Map<string, { at: number; facts: Promise<FolderFacts> }>();
  private ownMountNs: Promise<string> | null = null;
  /** Folder walks done (tests and benches check "one walk per new process"). */
  walks = 0;

  constructor(opts: ProjectResolverOptions = {}) {
    this.procRoot = opts.procRoot ?? '/proc';
    const home = homedir();
    this.stops = opts.stops ?? ['/', ...(home && home !== '/' ? [dirname(home)] : [])];
    this.now = opts.now ?? Date.now;
  }

  /**
   * Working directory and project of one process (cached per PID + start id). Never throws: a
   * process we may not look into has cwd '' and no project.
   */
  lookup(pid: number, startId: string): Promise<ProcessProject> {
    const hit = this.processes.get(pid);
    if (hit && hit.startId === startId) {
      // Most recently used last: the oldest entries are the ones dropped when the map is full.
      this.processes.delete(pid);
      this.processes.set(pid, hit);
      return hit.result;
    }
    const result = this.resolve(pid).catch(() => ({ cwd: '', project: null }));
    this.processes.set(pid, { startId, result });
    if (this.processes.size > MAX_PROCESSES) {
      const oldest = this.processes.keys().next().value;
      if (oldest !== undefined) this.processes.delete(oldest);
    }
    return result;
  }

  private async resolve(pid: number): Promise<ProcessProject> {
    const cwd = await readlink(`${this.procRoot}/${pid}/cwd`).catch(() => '');
    if (!cwd.startsWith('/') || cwd.endsWith(' (deleted)')) return { cwd, project: null };
    // A process in another mount namespace (a container) names folders of its own file system:
    // walking ours under the same path would name a wrong project.
    if (!this.ownMountNs) this.ownMountNs = readlink(`${this.procRoot}/self/ns/mnt`).catch(() => '');
    const [mine, theirs] = await Promise.all([
      this.ownMountNs,
      readlink(`${this.procRoot}/${pid}/ns/mnt`).catch(() => ''),
    ]);
    if (mine !== theirs) return { cwd, project: null };
    return { cwd, project: await this.projectOf(cwd) };
  }

  /** The nearest manifest and the git work tree above `cwd` (one bounded walk). */
  async projectOf(cwd: string): Promise<ProjectInfo | null> {
    this.walks++;
    let manifest: { dir: string; name: string | null } | null = null;
    let git: { dir: string; branch: string | null } | null = null;
    for (const dir of walkFolders(cwd, this.stops, MAX_DEPTH)) {
      const facts = await this.facts(dir);
      if (!manifest && facts.manifest) manifest = { dir, name: facts.manifest.name };
      if (facts.git) {
        git = { dir, branch: facts.git.branch };
        break;
      }
    }
    if (manifest)
      return {
        name: manifest.name ?? folderName(manifest.dir),
        dir: manifest.dir,
        branch: git?.branch ?? null,
      };
    if (git) return { name: folderName(git.dir), dir: git.dir, branch: git.branch };
    return null;
  }

  private facts(dir: string): Promise<FolderFacts> {
    const now = this.now();
    const hit = this.folders.get(dir);
    if (hit && now - hit.at < FOLDER_TTL_MS) return hit.facts;
    const facts = folderFacts(dir);
    this.folders.delete(dir);
    this.folders.set(dir, { at: now, facts });
    if (this.folders.size > MAX_FOLDERS) {
      const oldest = this.folders.keys().next().value;
      if (oldest !== undefined) this.folders.delete(oldest);
    }
    return facts;
  }
}
