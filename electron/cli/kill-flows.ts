import { createInterface } from 'node:readline';
import type { FreePortPlan, KillPlan, ProcessIdentity, SocketRow } from '../../shared/model';
import { killFinished, portFreed, safeText } from '../../shared/socket-rules';
import type { BehindActions } from '../core/containers/behind-actions';
import type { Killer } from '../core/kill';
import { type CliIo, EXIT } from './io';
import { containerFlow, restartedFlow } from './kill-behind';

/** What both flows of `portscope kill` share: the snapshot, the killer, the terminal, the flags. */
interface FlowContext {
  rows: SocketRow[];
  killer: Killer;
  io: Pick<CliIo, 'stdout' | 'stderr' | 'stdin'>;
  opts: {
    force: boolean;
    tree: boolean;
    yes: boolean;
    dryRun: boolean;
    graceMs: number;
    stopService?: boolean;
  };
  /** Stop container / Stop service (kill-behind.ts). */
  behind?: BehindActions;
}

/**
 * `kill <port>`: plan against every holder of the port's listening sockets (the topmost holders'
 * trees: a pre-fork master and its workers), name them all, ask, end them, and exit 0 only when
 * the kernel says no listening socket holds the port any more.
 */
export async function freePortFlow(
  port: number,
  ctx: FlowContext & { incomplete: boolean },
): Promise<number> {
  const { io, opts } = ctx;
  const plan = await ctx.killer.planFreePort(port, null, ctx.rows);
  if (plan.sockets.length === 0) {
    const unsure = ctx.incomplete ? ' (but a source failed, so this may be incomplete)' : '';
    io.stdout.write(`Nobody is listening on port ${port}${unsure}.\n`);
    return EXIT.failure;
  }
  if (plan.container && ctx.behind) return containerFlow(plan, ctx);
  const runnable = plan.roots.filter((r) => r.refused === null);
  const seen = runnable.flatMap((r) => [
    r.target,
    ...r.children.map((c) => ({ pid: c.pid, startId: c.startId })),
  ]);
  const head =
    runnable.length === 0
      ? 'Nothing will be ended'
      : `${opts.dryRun ? 'Would end' : 'About to end'} (${how(opts)}) every holder of port ${port}`;
  io.stdout.write(`${head}:\n${describeFreePlan(plan)}`);
  if (plan.refused !== null) {
    io.stdout.write(`${safeText(plan.refused)} Nothing was sent.\n`);
    return EXIT.failure;
  }
  if (opts.dryRun) {
    io.stdout.write('Dry run: nothing was sent.\n');
    return plan.hidden.length === 0 && runnable.length === plan.roots.length ? EXIT.ok : EXIT.failure;
  }
  const asked = await confirm(ctx, seen.length);
  if (asked !== null) return asked;

  const res = await ctx.killer.freePort({
    port,
    protocol: null,
    seen,
    force: opts.force,
    elevate: false,
    graceMs: opts.graceMs,
  });
  io.stdout.write(`${safeText(res.message)}\n`);
  if (res.outcome === 'restarted') return restartedFlow(res, ctx);
  if (portFreed(res.outcome)) return EXIT.ok;
  if (res.canForce) io.stdout.write('Run again with --force to SIGKILL what is left.\n');
  if (res.canElevate || res.outcome === 'permission-denied')
    io.stdout.write('Run it again as root (e.g. with sudo).\n');
  return EXIT.failure;
}

/** `kill pid:<n>`: exactly that process (and its tree with --tree), nothing more. */
export async function killPidFlow(target: ProcessIdentity, ctx: FlowContext): Promise<number> {
  const { io, opts, killer } = ctx;
  const plan = await killer.plan(target, opts.tree, ctx.rows);
  const head =
    plan.refused !== null
      ? 'Nothing will be ended'
      : `${opts.dryRun ? 'Would end' : 'About to end'} (${how(opts)})`;
  io.stdout.write(`${head}:\n${describePlan(plan, opts.tree)}`);
  if (plan.refused !== null) return EXIT.failure;
  if (opts.dryRun) {
    io.stdout.write('Dry run: nothing was sent.\n');
    return EXIT.ok;
  }
  const asked = await confirm(ctx, 1);
  if (asked !== null) return asked;

  const ports = plan.sockets.map((s) => ({ protocol: s.protocol, port: s.localPort }));
  const req = {
    target: plan.target,
    force: false,
    tree: opts.tree,
    elevate: false,
    graceMs: opts.graceMs,
    ports,
  };
  let res = await killer.kill(req);
  if (res.outcome === 'still-running' && opts.force) {
    io.stdout.write(`${safeText(res.message)}\nSending SIGKILL.\n`);
    res = await killer.kill({ ...req, force: true });
  }
  io.stdout.write(`${safeText(res.message)}\n`);
  if (res.outcome === 'still-running' && !opts.force)
    io.stdout.write('Run again with --force to SIGKILL it.\n');
  if (res.outcome === 'permission-denied') io.stdout.write('Run it again as root (e.g. with sudo).\n');
  return killFinished(res.outcome) ? EXIT.ok : EXIT.failure;
}

function how(opts: FlowContext['opts']): string {
  return `SIGTERM${opts.force ? `, SIGKILL after ${opts.graceMs / 1000} s` : ''}`;
}

/** Ask on a terminal (or require --yes); null to go on, else the exit code to stop with. */
async function confirm(ctx: FlowContext, count: number): Promise<number | null> {
  const { io } = ctx;
  if (ctx.opts.yes) return null;
  if (!io.stdin.isTTY) {
    io.stderr.write('portscope: refusing to kill without --yes when stdin is not a terminal\n');
    return EXIT.usage;
  }
  io.stdout.write(`End ${count === 1 ? 'it' : `these ${count} processes`}? [y/N] `);
  const answer = (await readLine(io.stdin))?.trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return null;
  io.stdout.write('Nothing was sent.\n');
  return EXIT.failure;
}

/** Every root with its whole tree (the workers), then the sockets nobody here can end. */
export function describeFreePlan(plan: FreePortPlan): string {
  let out = '';
  for (const root of plan.roots) out += describePlan(root, true);
  for (const s of plan.hidden) {
    const who = s.user ? `user ${safeText(s.user)}` : s.uid !== null ? `uid ${s.uid}` : 'another user';
    out += `  a process of ${who} you cannot see holds ${s.localAddress}:${s.localPort}/${s.protocol}; nothing can be sent to it\n`;
  }
  return out;
}

/** The confirmation block for one process: name, PID, user, command, ports, children. Hostile text is made safe. */
export function describePlan(plan: KillPlan, tree: boolean): string {
  const p = plan.process;
  const user = p?.user ? `  user ${safeText(p.user)}` : '';
  const lines = [`  ${safeText(p?.name || '?')} (PID ${plan.target.pid})${user}`];
  if (p?.command) lines.push(`    command:  ${safeText(p.command)}`);
  const ports = [...new Set(plan.sockets.map((s) => `${s.localPort}/${s.protocol}`))];
  if (ports.length > 0) lines.push(`    ports:    ${ports.join(', ')}`);
  if (tree) {
    lines.push(`    children: ${plan.children.length === 0 ? 'none' : plan.children.length}`);
    for (const c of plan.children) lines.push(`      ${c.pid}  ${safeText(c.name)}  ${safeText(c.command)}`);
  }
  if (plan.refused) lines.push(`    refused:  ${safeText(plan.refused)} Nothing will be sent.`);
  return `${lines.join('\n')}\n`;
}

/** One line from stdin (the answer to y/N); null when stdin ends first. */
function readLine(input: NodeJS.ReadableStream): Promise<string | null> {
  return new Promise((resolve) => {
    const rl = createInterface({ input, terminal: false });
    let answered = false;
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) resolve(null);
    });
  });
}
