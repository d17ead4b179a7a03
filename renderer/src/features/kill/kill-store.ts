import { create } from 'zustand';
import type {
  FreePortPlan,
  FreePortResult,
  KillPlan,
  KillResult,
  ProcessIdentity,
  ProcessInfo,
  SocketRow,
} from '../../../../shared/model';
import { isListening, killFinished, portFreed } from '../../../../shared/socket-rules';
import { getApi } from '../../api';
import { type ToastKind, toast } from '../toast';
import { asKillResult, failedFree, freeOutcomeKind, seenOf } from './free-port-text';
import type { Sent } from './kill-steps';
import { outcomeKind, outcomeText } from './kill-text';

/**
 * The one kill confirmation of the app (main window, quick view and palette all open it).
 * What it targets is copied out of the row when it opens, so nothing that happens to the table
 * afterwards (a re-sort, a filter, a delta that replaces the row) can change what gets killed.
 */

/** The frozen target: the identity the user saw plus what we show about it. */
export interface KillTarget {
  identity: ProcessIdentity;
  process: ProcessInfo;
  /** The row the user acted on (a copy): protocol, address and port for the heading. */
  row: Pick<SocketRow, 'protocol' | 'localAddress' | 'localPort' | 'service'>;
  /**
   * 'port': the row listens, so Kill frees its port — every holder of its listening sockets (the
   * master of a pre-fork server and its workers). 'process': any other row ends its first owner.
   */
  mode: 'port' | 'process';
}

export type KillPhase =
  | 'closed'
  | 'planning' // asking the engine what would die
  | 'ready' // plan shown, waiting for confirmation
  | 'running' // SIGTERM sent, waiting out the grace period
  | 'forcing' // SIGKILL (or elevated) requested
  | 'result'; // an answer that needs the user (force, elevate, changed, refused…)

/** How a confirmation opens. */
export interface KillOpenOptions {
  tree?: boolean;
  /**
   * false skips the question (the settings allow it for this process): the plan is still asked
   * and a refusal still stops everything; only the wait for Enter is skipped. Default: the policy.
   */
  confirm?: boolean;
}

export interface KillState {
  phase: KillPhase;
  /** False when this kill runs without waiting for confirmation (see KillOpenOptions.confirm). */
  ask: boolean;
  target: KillTarget | null;
  tree: boolean;
  /** The single-process plan ('process' mode). */
  plan: KillPlan | null;
  /** The port-free plan ('port' mode): every holder the confirmation names. */
  freePlan: FreePortPlan | null;
  /** A plan request that failed (transport or engine error): shown, confirm disabled. */
  planError: string | null;
  result: KillResult | null;
  /** The port-free answer ('port' mode); `result` carries the same answer in the single-kill shape. */
  freeResult: FreePortResult | null;
  /** The last finished kill, kept after the dialog closes so a view can show it in place. */
  lastResult: KillResult | null;
  /** The last signal this dialog sent and when (null: nothing sent yet for this target). */
  sent: Sent | null;
  /**
   * Open the confirmation for the owner of `row`. Returns false (and says why in a toast) when
   * the row has no visible owner, since then there is no identity to act on.
   */
  open(row: SocketRow, opts?: KillOpenOptions): boolean;
  close(): void;
  /** Toggle "Kill the whole tree"; the plan is asked again so the children shown are current. */
  setTree(tree: boolean): void;
  /** Send SIGTERM (and the tree, if chosen) to the frozen target; in 'port' mode to every holder shown. */
  confirm(): Promise<void>;
  /** SIGKILL after the grace period ran out (identity re-checked by the engine). */
  force(): Promise<void>;
  /** Retry through the OS administrator prompt after a permission error. */
  elevate(): Promise<void>;
}

let confirmPolicy: (target: KillTarget) => boolean = () => true;

/**
 * Decide per target whether the dialog waits for confirmation (the settings wire this with
 * shouldConfirmKill). Null restores the default: always ask.
 */
export function setKillConfirmPolicy(policy: ((target: KillTarget) => boolean) | null): void {
  confirmPolicy = policy ?? (() => true);
}

/** Bumped on every open/close/toggle so a late plan or result for an older question is dropped. */
let generation = 0;

function freeze(row: SocketRow): KillTarget | null {
  if (row.pid === null || !row.process || !row.process.startId) return null;
  return {
    identity: { pid: row.pid, startId: row.process.startId },
    process: { ...row.process },
    row: {
      protocol: row.protocol,
      localAddress: row.localAddress,
      localPort: row.localPort,
      service: row.service,
    },
    mode: isListening(row) ? 'port' : 'process',
  };
}

/** Where a result goes once the dialog is gone: a toast, unless a view shows results in place. */
export type KillResultPresenter = (text: string, kind: ToastKind, key: string) => void;
let presenter: KillResultPresenter | null = null;

/**
 * Let a view show kill results in place (the quick view's note) instead of a toast, so a result is
 * said once. Returns the function that gives the toast back.
 */
export function presentKillResultsIn(fn: KillResultPresenter): () => void {
  presenter = fn;
  return () => {
    if (presenter === fn) presenter = null;
  };
}

function announce(text: string, kind: ToastKind, key: string): void {
  if (presenter) presenter(text, kind, key);
  else toast(text, kind, key);
}

/** What a toast about this target is keyed by: a newer result replaces the older one. */
export function targetKey(target: KillTarget): string {
  return target.mode === 'port'
    ? `port:${target.row.protocol}:${target.row.localPort}`
    : `pid:${target.identity.pid}:${target.identity.startId}`;
}

const SIGNAL_OF = { term: 'SIGTERM', force: 'SIGKILL', elevate: 'elevated' } as const;

function errorText(e: unknown): string {
  return e instanceof Error && e.message ? e.message : String(e);
}

export const useKillStore = create<KillState>((set, get) => {
  async function plan(): Promise<void> {
    const { target, tree } = get();
    if (!target) return;
    const gen = ++generation;
    set({ phase: 'planning', plan: null, freePlan: null, planError: null });
    try {
      const { row } = target;
      if (target.mode === 'port') {
        const p = await getApi().request('port:free-plan', { port: row.localPort, protocol: row.protocol });
        if (gen !== generation) return;
        set({ phase: 'ready', freePlan: p });
        if (!get().ask && !p.refused) void run('term');
        return;
      }
      const p = await getApi().request('kill:plan', { target: target.identity, tree });
      if (gen !== generation) return;
      set({ phase: 'ready', plan: p });
      if (!get().ask && !p.refused) void run('term');
    } catch (e) {
      if (gen === generation) set({ phase: 'ready', planError: errorText(e) });
    }
  }

  async function run(mode: 'term' | 'force' | 'elevate'): Promise<void> {
    const { target, tree, phase } = get();
    if (!target || phase === 'running' || phase === 'forcing' || phase === 'planning') return;
    if (target.mode === 'port') return freePort(target, mode);
    const gen = ++generation;
    set({
      phase: mode === 'term' ? 'running' : 'forcing',
      result: null,
      sent: { signal: SIGNAL_OF[mode], at: Date.now() },
    });
    let result: KillResult;
    try {
      result = await getApi().request('kill:run', {
        target: target.identity,
        tree,
        force: mode === 'force',
        elevate: mode === 'elevate',
      });
    } catch (e) {
      result = {
        outcome: 'refused',
        pid: target.identity.pid,
        message: `The kill request failed: ${errorText(e)}`,
        signals: [],
        canForce: false,
        canElevate: false,
      };
    }
    // One result per action: the open dialog shows it; a toast only once the dialog is gone (closed
    // meanwhile, or closing now because the kill finished).
    const say = () =>
      announce(outcomeText(result, target.process.name), outcomeKind(result.outcome), targetKey(target));
    if (gen !== generation) {
      // The dialog was closed (or reopened) meanwhile: the toast is the answer; keep the record.
      say();
      set({ lastResult: result });
      return;
    }
    if (killFinished(result.outcome)) {
      generation++;
      say();
      set({
        phase: 'closed',
        target: null,
        plan: null,
        planError: null,
        result: null,
        lastResult: result,
        sent: null,
      });
    } else {
      set({ phase: 'result', result, lastResult: result });
    }
  }

  /** Free the target's port: only the identities the confirmation showed are sent (`seen`). */
  async function freePort(target: KillTarget, mode: 'term' | 'force' | 'elevate'): Promise<void> {
    const shown = get().freePlan;
    if (!shown) return;
    const gen = ++generation;
    const { localPort: port, protocol } = target.row;
    set({
      phase: mode === 'term' ? 'running' : 'forcing',
      result: null,
      freeResult: null,
      sent: { signal: SIGNAL_OF[mode], at: Date.now() },
    });
    let res: FreePortResult;
    try {
      const req = {
        port,
        protocol,
        seen: seenOf(shown),
        force: mode === 'force',
        elevate: mode === 'elevate',
      };
      res = await getApi().request('port:free', req);
    } catch (e) {
      res = failedFree(port, protocol, `The request to free port ${port} failed: ${errorText(e)}`);
    }
    const say = () => announce(res.message, freeOutcomeKind(res.outcome), targetKey(target));
    const result = asKillResult(res, target.identity.pid);
    if (gen !== generation) {
      say();
      set({ lastResult: result });
      return;
    }
    if (portFreed(res.outcome)) {
      generation++;
      say();
      set({
        phase: 'closed',
        target: null,
        freePlan: null,
        planError: null,
        result: null,
        freeResult: null,
        sent: null,
      });
      set({ lastResult: result });
    } else {
      set({ phase: 'result', result, freeResult: res, lastResult: result });
    }
  }

  return {
    phase: 'closed',
    ask: true,
    target: null,
    tree: false,
    plan: null,
    freePlan: null,
    planError: null,
    result: null,
    freeResult: null,
    lastResult: null,
    sent: null,
    open(row, opts) {
      const busy = get().phase;
      // A kill in flight keeps the dialog: swapping its target now would orphan that answer.
      if (busy === 'running' || busy === 'forcing') return false;
      const target = freeze(row);
      if (!target) {
        toast(`No process to kill on port ${row.localPort}: its owner is not visible to this user.`, 'error');
        return false;
      }
      const ask = opts?.confirm ?? confirmPolicy(target);
      set({
        target,
        ask,
        tree: opts?.tree ?? false,
        result: null,
        freeResult: null,
        lastResult: null,
        sent: null,
      });
      void plan();
      return true;
    },
    close() {
      const { phase } = get();
      // While signals are in flight the dialog stays: closing would hide an answer that is coming.
      if (phase === 'running' || phase === 'forcing') return;
      generation++;
      set({
        phase: 'closed',
        target: null,
        plan: null,
        freePlan: null,
        planError: null,
        result: null,
        sent: null,
      });
    },
    setTree(tree) {
      // A port's holders always go with their trees: there is nothing to toggle.
      if (get().tree === tree || get().target?.mode === 'port') return;
      set({ tree });
      if (get().phase === 'ready' || get().phase === 'planning') void plan();
    },
    confirm: () => {
      const { plan: single, freePlan, planError, target } = get();
      const p = target?.mode === 'port' ? freePlan : single;
      if (get().phase !== 'ready' || !p || p.refused || planError) return Promise.resolve();
      return run('term');
    },
    force: () => (get().result?.canForce ? run('force') : Promise.resolve()),
    elevate: () => (get().result?.canElevate ? run('elevate') : Promise.resolve()),
  };
});
