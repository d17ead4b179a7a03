import type {
  FreePortOutcome,
  FreePortPlan,
  FreePortResult,
  KillResult,
  Owner,
  ProcessIdentity,
  Protocol,
  SocketRow,
} from '../../../shared/model';
import { safeText } from '../../../shared/socket-rules';
import { restartedText, watchRestart } from '../supervisors/restart-watch';
import { elevatedKill } from './elevated-kill';
import { hiddenText, portHolders, portText } from './free-port-plan';
import type { KillJob } from './job';
import { label, result } from './messages';
import { sameStart } from './proc-probe';
import type { Resolution } from './resolve';
import { isGone } from './signal';
import { signalKill } from './signal-kill';
import type { ElevationRunner, FreePortRequest } from './types';

/** What freeing a port needs from the killer that runs it. */
export interface FreePortDeps {
  platform: NodeJS.Platform;
  graceMs: number;
  runner: ElevationRunner;
  /** A fresh read of the listening sockets (never the snapshot the plan was shown from). */
  collect: () => Promise<SocketRow[]>;
  plan: (port: number, protocol: Protocol | null, rows: SocketRow[]) => Promise<FreePortPlan>;
  /** The killer's tree resolution: refusals, identity, descendants, before the first signal. */
  resolve: (target: ProcessIdentity) => Promise<Resolution>;
  /** How long a supervisor’s restart is watched for after the port went free (default 5 s). */
  restartWindowMs?: number;
}

/**
 * Free a port. The holders are planned again from a fresh kernel read, and only identities the
 * user saw (`seen`) are signalled — a holder that appeared since the confirmation is left alone
 * and named. SIGTERM, the grace period, SIGKILL for what remains when `force`; then the kernel is
 * asked again, and only a port no listening socket holds is reported free.
 */
export async function runFreePort(req: FreePortRequest, deps: FreePortDeps): Promise<FreePortResult> {
  const what = portText(req.port, req.protocol);
  const plan = await deps.plan(req.port, req.protocol, await deps.collect());
  if (plan.sockets.length === 0)
    return done(req, 'not-held', `Nothing holds ${what} any more; nothing was sent.`);

  const seen = (id: ProcessIdentity) =>
    req.seen.some((s) => s.pid === id.pid && sameStart(s.startId, id.startId, deps.platform));
  const results: KillResult[] = [];
  const jobs: KillJob[] = [];
  for (const root of plan.roots) {
    if (!seen(root.target)) continue; // appeared after the confirmation: not what the user chose
    if (root.refused !== null) {
      results.push(result('refused', root.target.pid, `Refused: ${root.refused} Nothing was sent.`));
      continue;
    }
    const res = await deps.resolve(root.target);
    if (res.kind !== 'ok') {
      results.push(unresolved(res, root.target.pid));
      continue;
    }
    const members = [res.root, ...res.descendants.filter(seen)];
    jobs.push({ members, force: false, graceMs: deps.graceMs, ports: [], platform: deps.platform });
  }

  const run = (job: KillJob) => (req.elevate ? elevatedKill(job, deps.runner) : signalKill(job));
  const ran = await Promise.all(jobs.map(run));
  const finished = req.force ? await Promise.all(ran.map((r, i) => forceRest(r, jobs[i] as KillJob))) : ran;
  results.push(...finished);

  const afterRows = await deps.collect();
  const after = portHolders(afterRows, req.port, req.protocol);
  const sent = results.some((r) => r.signals.length > 0);
  // Ended, but a supervisor may take the port again within moments: say so instead of "free".
  const restart =
    sent && !after.holders.some((h) => h.process && seen({ pid: h.pid, startId: h.process.startId }))
      ? await watchRestart(plan, results, afterRows, {
          collect: deps.collect,
          windowMs: deps.restartWindowMs,
        })
      : null;
  if (restart)
    return {
      ...done(req, 'restarted', restartedText(what, restart), results, restart.holders),
      restartedBy: restart.by,
    };
  if (after.sockets.length === 0)
    return done(
      req,
      'port-free',
      `${cap(what)} is free${sent ? `: ${endedText(results, plan)}` : ''}.`,
      results,
    );

  const held = `${cap(what)} is still held by ${holdersText(after.holders, after.hidden)}.`;
  const late = after.holders.filter((h) => !h.process || !seen({ pid: h.pid, startId: h.process.startId }));
  const lateNote =
    late.length > 0 && sent ? ' A holder you were not shown got no signal; look again before ending it.' : '';
  const canForce = !req.force && results.some((r) => r.outcome === 'still-running');
  const canElevate = results.some((r) => r.canElevate);
  // A process still running after SIGTERM says so itself, force-kill hint included (job.ts
  // stillRunningResult): the port's sentence adds who holds it, not the hint again.
  const story = results.map((r) => r.message).join(' ');
  const message = `${story ? `${story} ` : ''}${held}${lateNote}`;
  const outcome = sent ? 'still-held' : unsentOutcome(plan, results);
  return done(req, outcome, message, results, after.holders, { canForce, canElevate });
}

/** After SIGTERM and the grace period: SIGKILL the members still running (identity re-checked). */
async function forceRest(res: KillResult, job: KillJob): Promise<KillResult> {
  if (res.outcome !== 'still-running' && res.outcome !== 'permission-denied') return res;
  const alive: KillJob['members'] = [];
  for (const m of job.members) if (!(await isGone(m, job.platform))) alive.push(m);
  if (alive.length === 0) return res;
  const forced = await signalKill({ ...job, members: alive, force: true });
  return { ...forced, signals: [...res.signals, ...forced.signals] };
}

function unresolved(res: Exclude<Resolution, { kind: 'ok' }>, pid: number): KillResult {
  if (res.kind === 'refused') return result('refused', pid, `Refused: ${res.reason}. Nothing was sent.`);
  if (res.kind === 'not-found')
    return result('not-found', pid, `PID ${pid} already exited; nothing was sent.`);
  return result(
    'changed',
    pid,
    `PID ${pid} now belongs to a different process (${label(res.now, pid)}) than the one you saw; nothing was sent.`,
  );
}

/** Why nothing was sent, as one outcome: the first reason found, most specific first. */
function unsentOutcome(plan: FreePortPlan, results: readonly KillResult[]): FreePortOutcome {
  if (plan.roots.length === 0 && plan.hidden.length > 0) return 'permission-denied';
  for (const o of ['elevation-cancelled', 'permission-denied', 'refused'] as const)
    if (results.some((r) => r.outcome === o)) return o;
  return 'changed';
}

/** "ended nginx (PID 10) and 2 more processes of its tree", from the signals actually sent. */
function endedText(results: readonly KillResult[], plan: FreePortPlan): string {
  const roots = results.filter((r) => r.signals.length > 0);
  const pids = new Set(roots.flatMap((r) => r.signals.map((s) => s.pid)));
  const rest = pids.size - roots.length;
  const nameOf = (pid: number) => plan.roots.find((p) => p.target.pid === pid)?.process?.name;
  const names = roots.map((r) => label({ name: nameOf(r.pid) ?? '' }, r.pid)).join(', ');
  return `ended ${names}${rest > 0 ? ` and ${rest} more process${rest > 1 ? 'es' : ''} of ${roots.length > 1 ? 'their trees' : 'its tree'}` : ''}`;
}

/** "nginx (PID 12), node (PID 13) and a process you cannot see". */
export function holdersText(holders: readonly Owner[], hidden: readonly SocketRow[]): string {
  const names = holders.slice(0, 3).map((h) => label(h.process, h.pid));
  if (holders.length > 3) names.push(`${holders.length - 3} more`);
  if (hidden.length > 0) names.push(hiddenText(hidden));
  if (names.length === 0) return 'a process you cannot see';
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function done(
  req: FreePortRequest,
  outcome: FreePortOutcome,
  message: string,
  results: KillResult[] = [],
  stillHeldBy: Owner[] = [],
  flags: { canForce?: boolean; canElevate?: boolean } = {},
): FreePortResult {
  return {
    outcome,
    port: req.port,
    protocol: req.protocol,
    message: safeText(message),
    results,
    stillHeldBy,
    canForce: flags.canForce ?? false,
    canElevate: flags.canElevate ?? false,
  };
}
