import { parsePid, parsePort } from '../../shared/numbers';
import { safeText } from '../../shared/socket-rules';
import { createBehindActions } from '../core/containers/behind-actions';
import { createKiller, type Killer } from '../core/kill';
import { readStartId } from '../core/processes/proc-identity';
import { parseCommandArgs } from './args';
import { cliRecordingKiller } from './history-kill';
import { type CliIo, EXIT, UsageError, usageLine } from './io';
import { freePortFlow, killPidFlow } from './kill-flows';
import { printWarnings } from './warnings';

export const KILL_HELP = `Usage: portscope kill <port|:port|pid:<n>> [--force] [--tree] [--yes] [--dry-run] [--grace <s>] [--stop-service]

Free a port: end every process that holds its listening sockets (exactly that port: 3000 is not
30001, and clients connected to it are never touched). A pre-fork server (nginx, gunicorn, apache:
a master and its workers all hold the listener) is ended as the master's whole tree. Or end the one
process with a PID. Shows what would die, then asks.

Arguments:
  <port>, :<port>  every holder of the TCP listeners and bound UDP sockets on that port, 1-65535
  pid:<n>          the process with that PID, and nothing else

Options:
  -f, --force        SIGKILL whatever is still running after the grace period
  -t, --tree         pid:<n> only: also end its children (a port's holders always go with their trees)
  -y, --yes          do not ask (needed when stdin is not a terminal)
  -n, --dry-run      show what would be ended and send nothing
      --grace <s>    seconds to wait after SIGTERM before giving up or forcing (default 3)
      --stop-service when a supervisor (systemd, supervisord, runit) starts it again, stop that service
  -h, --help         show this help

A port a container publishes (docker-proxy, rootlessport, or no host process at all) is freed by
stopping the container through its engine, after the same confirmation.
Every signal goes to a process you were shown: its start time is checked again right before it, and
a process that took the port after you were asked gets no signal.
Exit codes: 0 the port is free (pid:<n>: the process is gone), 1 it is not (still held, refused,
permission denied…; who still holds it is named), 2 wrong usage.
`;

const spec = {
  force: { type: 'boolean', short: 'f' },
  tree: { type: 'boolean', short: 't' },
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean', short: 'n' },
  grace: { type: 'string' },
  'stop-service': { type: 'boolean' },
} as const;

/** What `portscope kill` needs from the CLI's io (the dispatcher passes its whole CliIo). */
export type KillIo = Pick<CliIo, 'stdout' | 'stderr' | 'stdin' | 'collect'>;

type Target = { kind: 'port'; port: number } | { kind: 'pid'; pid: number };

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
  // The port's state after the kill is read fresh from the kernel, the same way as before it.
  const collectListening = async () => (await io.collect('listening')).rows;
  const killer = given ?? cliRecordingKiller(createKiller({ graceMs, collectListening }), rows);
  const opts = { force, tree, yes, dryRun, graceMs, stopService: args.values['stop-service'] === true };
  const behind = createBehindActions({ collect: collectListening });
  if (target.kind === 'port')
    return freePortFlow(target.port, { rows, incomplete: errors.length > 0, killer, io, opts, behind });
  const startId = await readStartId(target.pid);
  if (!startId) {
    io.stdout.write(`No process with PID ${target.pid} is running.\n`);
    return EXIT.failure;
  }
  return killPidFlow({ pid: target.pid, startId }, { rows, killer, io, opts });
}
