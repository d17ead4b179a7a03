import { createInterface } from 'node:readline';
import type { KillPlan, KillResult, ProcessIdentity, SocketRow } from '../../shared/model';
import { parsePid, parsePort } from '../../shared/validate';
import { createKiller, type Killer, listenersOnPort } from '../core/kill';
import { readStartId } from '../core/processes/proc-identity';
import { parseCommandArgs } from './args';
import { type CliIo, EXIT, UsageError, usageLine } from './io';
import { safeText } from './text';
import { printWarnings } from './warnings';

export const KILL_HELP = `Usage: portscope kill <port|:port|pid:<n>> [--force] [--tree] [--yes] [--dry-run] [--grace <s>]

End the process that listens on a port (exactly that port: 3000 is not 30001, and clients connected
to it are never touched), or the process with a PID. Shows what would die, then asks.

Arguments:
  <port>, :<port>  the TCP listener or bound UDP socket on that port, 1-65535
  pid:<n>          the process with that PID

Options:
  -f, --force        if it is still running after the grace period, SIGKILL it
  -t, --tree         also end its children (all descendants, listed before anything is sent)
  -y, --yes          do not ask (needed when stdin is not a terminal)
  -n, --dry-run      show what would be ended and send nothing
      --grace <s>    seconds to wait after SIGTERM before giving up or forcing (default 3)
  -h, --help         show this help

Every signal goes to the process you were shown: its start time is checked again right before it.
Exit codes: 0 the target is gone, 1 it is not (refused, still running, permission denied…), 2 wrong usage.
`;

const spec = {
  force: { type: 'boolean', short: 'f' },
  tree: { type: 'boolean', short: 't' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean', short: 'n' },
  grace: { type: 'string' },
} as const;

/** What `portscope kill` needs from the CLI's io (the dispatcher passes its whole CliIo). */
export type KillIo = Pick<CliIo, 'stdout' | 'stderr' | 'stdin' | 'collect'>;

type Target = { kind: 'port'; port: number } | { kind: 'pid'; pid: number };
const GONE: ReadonlySet<KillResult['outcome']> = new Set([
  'exited',
  'port-released',
  'not-found',
  'elevated-ok',
]);

/** Parse `3000`, `:3000` or `pid:1234`; null for anything else (signs, hex, spaces, exponents…). */
export function parseKillTarget(text: string): Target | null {
  if (text.startsWith('pid:')) {
    const pid = parsePid(text.slice(4));
    return pid === null ? null : { kind: 'pid', pid };
  }
  const port = parsePort(text);
  return port === null ? null : { kind: 'port', port };
}

/** `--grace` in seconds ("3", "0.5"), plain digits only, at most 60 s; null when invalid. */
export function parseGrace(text: string): number | null {
  if (!/^\d{1,2}(\.\d{1,3})?$/.test(text)) return null;
  const ms = Math.round(Number(text) * 1000);
  return ms <= 60_000 ? ms : null;
}

/**
 * `portscope kill <port|:port|pid:<n>> [--force] [--tree] [--yes] [--dry-run] [--grace <s>]`.
 * Returns the exit code: 0 when every target is gone, 1 otherwise, 2 for wrong usage.
 */
export async function runKill(argv: readonly string[], io: KillIo, killer?: Killer): Promise<number> {
  try {
    return await run(argv, io, killer);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(usageLine(error));
    return EXIT.usage;
  }
}

async function run(argv: readonly string[], io: KillIo, given?: Killer): Promise<number> {
  const args = parseCommandArgs('kill', argv, spec, 1);
  if (args.help) {
    io.stdout.write(KILL_HELP);
    return EXIT.ok;
  }
  const text = args.positionals[0];
  if (text === undefined) throw new UsageError('missing <port> or pid:<n>', 'kill');
  const target = parseKillTarget(text);
  if (!target)
    throw new UsageError(
      `invalid target '${safeText(text)}' (expected a port like 3000 or :3000, or pid:<n>)`,
      'kill',
    );
  const graceMs = args.values.grace === undefined ? 3000 : parseGrace(args.values.grace);
  if (graceMs === null)
    throw new UsageError(
      `invalid --grace '${safeText(args.values.grace ?? '')}' (seconds, 0-60, e.g. 3 or 0.5)`,
      'kill',
    );
  const { force = false, tree = false, yes = false } = args.values;
  const dryRun = args.values['dry-run'] === true;

  const { rows, errors } = await io.collect('listening');
  printWarnings(io.stderr, errors);
  const identities = await resolveIdentities(target, rows, errors.length > 0, io);
  if (!identities) return EXIT.failure;

  const killer = given ?? createKiller({ graceMs });
  const plans = await Promise.all(identities.map((id) => killer.plan(id, tree, rows)));
  const runnable = plans.filter((p) => p.refused === null);
  const how = `SIGTERM${force ? `, SIGKILL after ${graceMs / 1000} s` : ''}`;
  const head =
    runnable.length === 0 ? 'Nothing will be ended' : `${dryRun ? 'Would end' : 'About to end'} (${how})`;
  io.stdout.write(`${head}:\n`);
  for (const plan of plans) io.stdout.write(describePlan(plan, tree));
  if (runnable.length === 0) return EXIT.failure;
  if (dryRun) {
    io.stdout.write('Dry run: nothing was sent.\n');
    return runnable.length === plans.length ? EXIT.ok : EXIT.failure;
  }
  if (!yes) {
    if (!io.stdin.isTTY) {
      io.stderr.write('portscope: refusing to kill without --yes when stdin is not a terminal\n');
      return EXIT.usage;
    }
    const what = runnable.length === 1 ? 'it' : `these ${runnable.length} processes`;
    io.stdout.write(`End ${what}? [y/N] `);
    const answer = (await readLine(io.stdin))?.trim().toLowerCase();
    if (answer !== 'y' && answer !== 'yes') {
      io.stdout.write('Nothing was sent.\n');
      return EXIT.failure;
    }
  }

  let allGone = runnable.length === plans.length;
  for (const plan of runnable) {
    const ports = plan.sockets.map((s) => ({ protocol: s.protocol, port: s.localPort }));
    const req = { target: plan.target, force: false, tree, elevate: false, graceMs, ports };
    let res = await killer.kill(req);
    if (res.outcome === 'still-running' && force) {
      io.stdout.write(`${safeText(res.message)}\nSending SIGKILL.\n`);
      res = await killer.kill({ ...req, force: true });
    }
    io.stdout.write(`${safeText(res.message)}\n`);
    if (res.outcome === 'still-running' && !force) io.stdout.write('Run again with --force to SIGKILL it.\n');
    if (res.outcome === 'permission-denied') io.stdout.write('Run it again as root (e.g. with sudo).\n');
    allGone &&= GONE.has(res.outcome);
  }
  return allGone ? EXIT.ok : EXIT.failure;
}

/** The identities to kill: the owners of the port (from the snapshot), or the PID as it is now. */
async function resolveIdentities(
  target: Target,
  rows: SocketRow[],
  incomplete: boolean,
  io: KillIo,
): Promise<ProcessIdentity[] | null> {
  const unsure = incomplete ? ' (but a source failed, so this may be incomplete)' : '';
  if (target.kind === 'pid') {
    const startId = await readStartId(target.pid);
    if (startId) return [{ pid: target.pid, startId }];
    io.stdout.write(`No process with PID ${target.pid} is running.\n`);
    return null;
  }
  const holders = listenersOnPort(rows, target.port);
  if (holders.length === 0) {
    io.stdout.write(`Nobody is listening on port ${target.port}${unsure}.\n`);
    return null;
  }
  const out = new Map<number, ProcessIdentity>();
  for (const row of holders) {
    if (row.pid === null || out.has(row.pid)) continue;
    const startId = row.process?.startId || (await readStartId(row.pid));
    if (startId) out.set(row.pid, { pid: row.pid, startId });
  }
  if (out.size === 0)
    io.stdout.write(
      `Port ${target.port} is held by a process this user cannot see; run as root to see and end it.\n`,
    );
  return out.size > 0 ? [...out.values()] : null;
}

/** The confirmation block for one process: name, PID, user, command, ports, children. Hostile text is made safe. */
function describePlan(plan: KillPlan, tree: boolean): string {
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
