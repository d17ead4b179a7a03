import type { KillPlan, KillResult, ProcessIdentity, SocketRow } from '../../../shared/model';
import { elevatedKill } from './elevated-kill';
import { defaultElevationRunner } from './elevation';
import { label, result } from './messages';
import { planFor } from './plan';
import type { PortRef } from './ports';
import { readProc } from './proc-table';
import { type Resolution, resolveTarget } from './resolve';
import { signalKill } from './signal-kill';
import type { Killer, KillerOptions, KillRequest } from './types';

const DEFAULT_GRACE_MS = 3000;
/** A grace period longer than this is a mistake, not a wish: cap it so a kill always answers. */
const MAX_GRACE_MS = 60_000;

/**
 * Create the kill engine. Every kill resolves the target again (identity, refusals, descendants)
 * before its first signal, and every signal re-checks the identity of the process it goes to.
 */
export function createKiller(opts: KillerOptions = {}): Killer {
  const platform = opts.platform ?? process.platform;
  const defaultGrace = opts.graceMs ?? DEFAULT_GRACE_MS;
  const runner = opts.elevationRunner ?? defaultElevationRunner(platform);
  const protectedPids = () => (opts.protectedPids?.() ?? []).filter((p) => Number.isSafeInteger(p));

  async function plan(target: ProcessIdentity, tree: boolean, rows: SocketRow[]): Promise<KillPlan> {
    let res = await resolveSafely(target, tree);
    // An early refusal (PID 1, ourselves) skips the process read; the confirmation still names it.
    if (res.kind === 'refused' && res.root === null && Number.isSafeInteger(target?.pid) && target.pid > 0)
      res = { ...res, root: await readProc(target.pid, platform, true) };
    return planFor(target, res, rows, platform);
  }

  async function kill(req: KillRequest): Promise<KillResult> {
    const res = await resolveSafely(req.target, req.tree);
    const pid = numericPid(req.target);
    if (res.kind === 'refused') return result('refused', pid, `Refused: ${res.reason}. Nothing was sent.`);
    if (res.kind === 'not-found')
      return result('not-found', pid, `PID ${pid} already exited; nothing was sent.`);
    if (res.kind === 'changed')
      return result(
        'changed',
        pid,
        `PID ${pid} now belongs to a different process (${label(res.now, pid)}) than the one you saw; nothing was sent.`,
      );
    const job = {
      members: [res.root, ...res.descendants],
      force: req.force === true,
      graceMs: clampGrace(req.graceMs ?? defaultGrace),
      ports: validPorts(req.ports),
      platform,
    };
    return req.elevate ? elevatedKill(job, runner) : signalKill(job);
  }

  /** Requests come from the contract, but the engine does not rely on it: bad shapes are refusals. */
  async function resolveSafely(target: ProcessIdentity, tree: boolean): Promise<Resolution> {
    if (!target || typeof target !== 'object')
      return { kind: 'refused', reason: 'no process was named', root: null };
    if (typeof target.startId !== 'string' || target.startId === '')
      return { kind: 'refused', reason: 'the request carries no process start identity', root: null };
    return resolveTarget(target, tree === true, platform, protectedPids());
  }

  return { plan, kill };
}

function numericPid(target: ProcessIdentity | undefined): number {
  const pid: unknown = target?.pid;
  return typeof pid === 'number' && Number.isSafeInteger(pid) ? pid : 0;
}

function clampGrace(ms: number): number {
  return Number.isFinite(ms) ? Math.min(Math.max(0, ms), MAX_GRACE_MS) : DEFAULT_GRACE_MS;
}

function validPorts(ports: KillRequest['ports']): PortRef[] {
  if (!Array.isArray(ports)) return [];
  return ports.filter(
    (p) =>
      (p?.protocol === 'tcp' || p?.protocol === 'udp') &&
      Number.isInteger(p.port) &&
      p.port >= 1 &&
      p.port <= 65535,
  );
}
