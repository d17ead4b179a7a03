import type {
  FreePortOutcome,
  FreePortPlan,
  FreePortResult,
  KillOutcome,
  KillResult,
  ProcessIdentity,
  Protocol,
} from '../../../../shared/model';
import { portFreed } from '../../../../shared/socket-rules';
import type { ToastKind } from '../toast';

/** One process the port-free confirmation names: a topmost holder or one of its tree. */
export interface HolderLine {
  pid: number;
  name: string;
  command: string;
  /** Whose process it is (topmost holders; a worker is its master's user's as a rule): '' unknown. */
  user: string;
  /** True for a topmost holder (the master); false for a process of its tree (a worker). */
  root: boolean;
}

/** Every process the confirmation shows, roots first with their trees under them; refused roots left out. */
export function holderLines(plan: FreePortPlan): HolderLine[] {
  return plan.roots
    .filter((r) => r.refused === null)
    .flatMap((r) => {
      const command = r.process?.command ?? '';
      // A worker that runs its master's command line says nothing new: show it once.
      const own = (c: string) => (c === command ? '' : c);
      return [
        { pid: r.target.pid, name: r.process?.name ?? '', command, user: r.process?.user ?? '', root: true },
        ...r.children.map((c) => ({
          pid: c.pid,
          name: c.name,
          command: own(c.command),
          user: '',
          root: false,
        })),
      ];
    });
}

/** The identities the confirmation showed: exactly what `port:free` may signal (`seen`). */
export function seenOf(plan: FreePortPlan): ProcessIdentity[] {
  return plan.roots
    .filter((r) => r.refused === null)
    .flatMap((r) => [r.target, ...r.children.map((c) => ({ pid: c.pid, startId: c.startId }))])
    .map((id) => ({ pid: id.pid, startId: id.startId }));
}

/**
 * "nginx (PID 10) and 4 workers", "node (PID 3) and redis (PID 9)": one line naming who the kill
 * ends. Workers are the processes of a root's tree.
 */
export function holdersSummary(plan: FreePortPlan): string {
  const roots = plan.roots.filter((r) => r.refused === null);
  const names = roots.map((r) => `${r.process?.name || 'PID'} (PID ${r.target.pid})`);
  const workers = roots.reduce((n, r) => n + r.children.length, 0);
  const head = names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  if (workers === 0) return head;
  return `${head} and ${workers} ${workers === 1 ? 'worker' : 'workers'}`;
}

/** How a port-free answer reads in a toast: success only when the port is free. */
export function freeOutcomeKind(outcome: FreePortOutcome): ToastKind {
  if (portFreed(outcome)) return 'success';
  return outcome === 'elevation-cancelled' ? 'info' : 'error';
}

/** A failed request as an answer the dialog can show (nothing was sent, as far as we know). */
export function failedFree(port: number, protocol: Protocol, message: string): FreePortResult {
  return {
    outcome: 'refused',
    port,
    protocol,
    message,
    results: [],
    stillHeldBy: [],
    canForce: false,
    canElevate: false,
  };
}

/**
 * The port-free answer in the single-kill shape, for views that show the last kill in place (the
 * quick view reads `lastResult`): a freed port reads as 'port-released', a held one as still running.
 */
export function asKillResult(res: FreePortResult, pid: number): KillResult {
  const signals = res.results.flatMap((r) => r.signals);
  const outcome = killOutcome(res.outcome);
  return { outcome, pid, message: res.message, signals, canForce: res.canForce, canElevate: res.canElevate };
}

function killOutcome(outcome: FreePortOutcome): KillOutcome {
  switch (outcome) {
    case 'port-free':
    case 'not-held':
      return 'port-released';
    case 'still-held':
    case 'restarted':
      return 'still-running';
    default:
      return outcome;
  }
}
