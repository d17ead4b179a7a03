import type {
  FreePortPlan,
  FreePortResult,
  KillPlan,
  KillResult,
  Owner,
  ProcessIdentity,
  Protocol,
  SocketRow,
} from '../../../shared/model';
import { createEngine, type Engine } from '../engine/engine';
import { readStartId } from '../processes/proc-identity';
import { elevatedKill } from './elevated-kill';
import { defaultElevationRunner } from './elevation';
import { runFreePort } from './free-port';
import { assembleFreePortPlan, portHolders, topmostHolders } from './free-port-plan';
import { label, result } from './messages';
import { planFor } from './plan';
import type { PortRef } from './ports';
import { listProcs, readProc } from './proc-table';
import { withContainer } from './proxy-refusal';
import { type Resolution, resolveTarget } from './resolve';
import { signalKill } from './signal-kill';
import type { FreePortRequest, Killer, KillerOptions, KillRequest } from './types';

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

  /** Every holder of the port's listening sockets, planned as the topmost holders' tree kills. */
  async function planFreePort(
    port: number,
    protocol: Protocol | null,
    rows: SocketRow[],
  ): Promise<FreePortPlan> {
    const found = portHolders(rows, port, protocol);
    const parentOf = found.holders.length > 1 ? await parentLookup(found.holders, platform) : () => null;
    const roots = topmostHolders(found.holders, parentOf);
    const plans = await Promise.all(
      roots.map(async (o) => plan({ pid: o.pid, startId: await startIdOf(o, platform) }, true, rows)),
    );
    return withContainer(assembleFreePortPlan(port, protocol, found, plans));
  }

  let engine: Engine | undefined;
  const collect =
    opts.collectListening ??
    (async () => {
      engine ??= createEngine();
      return (await engine.collect('listening')).rows;
    });

  function freePort(req: FreePortRequest): Promise<FreePortResult> {
    return runFreePort(
      {
        ...req,
        seen: Array.isArray(req.seen) ? req.seen : [],
        force: req.force === true,
        elevate: req.elevate === true,
      },
      {
        platform,
        graceMs: clampGrace(req.graceMs ?? defaultGrace),
        runner,
        collect,
        plan: planFreePort,
        resolve: (target) => resolveSafely(target, true),
      },
    );
  }

  return { plan, kill, planFreePort, freePort };
}

/** The start identity the row carries, else read now (a holder whose details could not be read). */
async function startIdOf(owner: Owner, platform: NodeJS.Platform): Promise<string> {
  return owner.process?.startId || (await readStartId(owner.pid, platform)) || '';
}

/**
 * Parent links for the topmost-holder walk: the live process table, where it describes the same
 * process the row did; the row's own ppid otherwise (a holder that exited meanwhile).
 */
async function parentLookup(
  holders: readonly Owner[],
  platform: NodeJS.Platform,
): Promise<(pid: number) => number | null> {
  const table = new Map((await listProcs(platform)).map((e) => [e.pid, e]));
  const fromRows = new Map(holders.map((h) => [h.pid, h.process]));
  return (pid) => {
    const row = fromRows.get(pid);
    const live = table.get(pid);
    if (row && (!live || live.startId !== row.startId)) return row.ppid;
    return live?.ppid ?? null;
  };
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
