import type { KillOutcome, KillResult } from '../../../shared/model';
import { safeText } from '../../../shared/socket-rules';
import type { PortRef } from './ports';
import type { ProcEntry } from './proc-table';

/**
 * "node (PID 123)": names are hostile text, made terminal-safe here (shared rule); front doors
 * render it as text, never as markup.
 */
export function label(entry: Pick<ProcEntry, 'name'> | null, pid: number): string {
  return entry?.name ? `${safeText(entry.name)} (PID ${pid})` : `PID ${pid}`;
}

export function portList(ports: readonly PortRef[]): string {
  return ports.map((p) => `${p.port}/${p.protocol}`).join(', ');
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

/** A tree kill names how many processes it covered. */
export function treeNote(members: number): string {
  return members > 1 ? ` and its ${members - 1} descendant${members > 2 ? 's' : ''}` : '';
}

/** Build a KillResult; every path of the killer ends here so the shape never varies. */
export function result(
  outcome: KillOutcome,
  pid: number,
  message: string,
  signals: KillResult['signals'] = [],
  flags: { canForce?: boolean; canElevate?: boolean } = {},
): KillResult {
  return {
    outcome,
    pid,
    message,
    signals,
    canForce: flags.canForce ?? false,
    canElevate: flags.canElevate ?? false,
  };
}

/** What to say once every member is gone: the ports are free, or someone else still holds one. */
export function goneMessage(
  who: string,
  how: string,
  released: readonly PortRef[],
  held: readonly PortRef[],
): string {
  if (held.length > 0)
    return `${who} exited${how}, but port ${portList(held)} is still held by another process.`;
  if (released.length > 0) return `${who} exited${how}; port ${portList(released)} is free.`;
  return `${who} exited${how}.`;
}
