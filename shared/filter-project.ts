import type { ProjectInfo, SocketRow } from './model';
import { exposure } from './socket-rules';

/**
 * The filter tokens of the "which project / who can reach it" questions (shared/filter.ts calls
 * these): `project:shop` and `reach:network` / `reach:loopback`.
 */

type Pred = (row: SocketRow) => boolean;

/** The folder name of a project's directory (either separator). */
function dirName(dir: string): string {
  return dir.replace(/[\\/]+$/, '').replace(/^.*[\\/]/, '');
}

/** Whether a project answers to `v` (lower-cased): its name or folder (substring), or its branch (exact). */
export function projectMatches(project: ProjectInfo | null | undefined, v: string): boolean {
  if (!project) return false;
  return (
    project.name.toLowerCase().includes(v) ||
    dirName(project.dir).toLowerCase().includes(v) ||
    (project.branch !== null && project.branch.toLowerCase() === v)
  );
}

/** `project:NAME`: any holder of the socket works in a project of that name, folder or branch. */
export function projectPred(value: string): Pred {
  const v = value.toLowerCase();
  return (r) => r.owners.some((o) => projectMatches(o.process?.project, v));
}

/** `reach:network` / `reach:loopback` (prefixes work: `reach:net`); connections match neither. */
export function reachPred(value: string): { pred: Pred } | { issue: string } {
  const v = value.toLowerCase();
  const want = 'network'.startsWith(v)
    ? 'network'
    : 'loopback'.startsWith(v) || v === 'local'
      ? 'loopback'
      : null;
  if (!want) return { issue: `unknown reach '${value}' — try reach:network or reach:loopback` };
  // The engine fills `exposure`; rows from elsewhere (an older host) are decided here, the same way.
  return { pred: (r) => (r.exposure !== undefined ? r.exposure : exposure(r)) === want };
}
