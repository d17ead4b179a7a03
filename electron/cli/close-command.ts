import { createInterface } from 'node:readline';
import { addressBytes } from '../../shared/ip-address';
import type { SocketRow } from '../../shared/model';
import { closableConnection, connectionClosed, ownersSummary, safeText } from '../../shared/socket-rules';
import { parsePort } from '../../shared/validate';
import { type ConnectionCloser, createConnectionCloser } from '../core/connections/close-connection';
import { parseCommandArgs } from './args';
import { type CliIo, EXIT, UsageError, usageLine } from './io';
import { printWarnings } from './warnings';

export const CLOSE_HELP = `Usage: portscope close <local-addr:port> <remote-addr:port> [--yes] [--dry-run]

Close one TCP connection of this machine, as \`ss -K\` does (Linux: netlink SOCK_DESTROY): both ends
are told it is over, the peer sees a reset, the program holding it gets an error on its next read.
The connection is the one whose local end is the first argument and remote end the second, as
\`portscope list --all\` shows them (IPv6 in brackets: [::1]:8080). Shows it with its process, then asks.

Options:
  -y, --yes          do not ask (needed when stdin is not a terminal)
  -n, --dry-run      show what would be closed and close nothing
  -h, --help         show this help

The connection is identified by its 4-tuple and its kernel socket cookie, checked again right before
it is destroyed: a new connection that took the same addresses and ports is never touched.
Needs CAP_NET_ADMIN (run as root). Not available on macOS (no interface) or Windows (not yet).
Exit codes: 0 the connection is gone, 1 it is not (not found, changed, permission denied…), 2 wrong usage.
`;

const spec = {
  yes: { type: 'boolean', short: 'y' },
  'dry-run': { type: 'boolean', short: 'n' },
} as const;

/** What `portscope close` needs from the CLI's io. */
export type CloseIo = Pick<CliIo, 'stdout' | 'stderr' | 'stdin' | 'collect'>;

/** One end of a connection as typed: `127.0.0.1:5000` or `[::1]:5000`. */
export interface Endpoint {
  family: 4 | 6;
  bytes: Uint8Array;
  port: number;
}

/** Parse `a.b.c.d:port` or `[v6]:port`; null for anything else (host names, zones, bare ports). */
export function parseEndpoint(text: string): Endpoint | null {
  const m = /^\[([0-9a-fA-F:.]+)\]:(\d+)$/.exec(text) ?? /^([0-9.]+):(\d+)$/.exec(text);
  if (!m) return null;
  const family = text.startsWith('[') ? 6 : 4;
  const bytes = addressBytes(m[1] as string, family);
  const port = parsePort(m[2]);
  return bytes && port !== null ? { family, bytes, port } : null;
}

/** Whether a row's address is the typed one; 127.0.0.1 also matches its IPv4-mapped ::ffff:127.0.0.1. */
function sameAddress(row: SocketRow, text: string, want: Endpoint): boolean {
  const got = addressBytes(text, row.family);
  if (!got) return false;
  const v4 =
    row.family === 6 && want.family === 4 && got.slice(0, 12).join() === '0,0,0,0,0,0,0,0,0,0,255,255';
  const bytes = v4 ? got.slice(12) : got;
  return (row.family === want.family || v4) && bytes.join() === want.bytes.join();
}

/** The TCP rows with exactly that local and remote end. */
export function matchConnection(rows: readonly SocketRow[], local: Endpoint, remote: Endpoint): SocketRow[] {
  return rows.filter(
    (r) =>
      r.protocol === 'tcp' &&
      r.localPort === local.port &&
      r.remotePort === remote.port &&
      r.remoteAddress !== null &&
      sameAddress(r, r.localAddress, local) &&
      sameAddress(r, r.remoteAddress, remote),
  );
}

/** `portscope close <local> <remote> [--yes] [--dry-run]` → exit code (0 only when it is gone). */
export async function runClose(
  argv: readonly string[],
  io: CloseIo,
  closer?: ConnectionCloser,
): Promise<number> {
  try {
    return await run(argv, io, closer);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(usageLine(error));
    return EXIT.usage;
  }
}

async function run(argv: readonly string[], io: CloseIo, given?: ConnectionCloser): Promise<number> {
  const args = parseCommandArgs('close', argv, spec, 2);
  if (args.help) {
    io.stdout.write(CLOSE_HELP);
    return EXIT.ok;
  }
  const [localText, remoteText] = args.positionals;
  if (localText === undefined || remoteText === undefined)
    throw new UsageError('expected <local-addr:port> <remote-addr:port>', 'close');
  const local = parseEndpoint(localText);
  const remote = parseEndpoint(remoteText);
  for (const [text, ep] of [
    [localText, local],
    [remoteText, remote],
  ] as const)
    if (!ep)
      throw new UsageError(
        `invalid address '${safeText(text)}' (expected 127.0.0.1:5000 or [::1]:5000)`,
        'close',
      );
  const closer = given ?? createConnectionCloser();
  const support = closer.support();
  if (!support.supported) {
    io.stdout.write(`${support.reason}\n`);
    return EXIT.failure;
  }
  const { rows, errors } = await io.collect('all');
  printWarnings(io.stderr, errors);
  const found = matchConnection(rows, local as Endpoint, remote as Endpoint);
  const row = found.find((r) => closableConnection(r) !== null) ?? found[0];
  const what = `${safeText(localText)} → ${safeText(remoteText)}`;
  if (!row) {
    io.stdout.write(`No TCP connection ${what}.\n`);
    return EXIT.failure;
  }
  const ref = closableConnection(row);
  if (!ref) {
    io.stdout.write(`The connection ${what} is in ${row.state}: there is nothing to close.\n`);
    return EXIT.failure;
  }
  const holder = row.owners.length > 0 ? `${ownersSummary(row.owners)} (PID ${row.pid})` : '(no process)';
  const dryRun = args.values['dry-run'] === true;
  io.stdout.write(
    `${dryRun ? 'Would close' : 'About to close'} the TCP connection ${what} (${row.state})\n  held by ${safeText(holder)}\n`,
  );
  if (dryRun) {
    io.stdout.write('Dry run: nothing was closed.\n');
    return EXIT.ok;
  }
  const stop = await confirm(io, args.values.yes === true);
  if (stop !== null) return stop;
  const res = await closer.close(ref);
  io.stdout.write(`${safeText(res.message)}\n`);
  if (res.outcome === 'permission-denied') io.stdout.write('Run it again as root (e.g. with sudo).\n');
  return connectionClosed(res.outcome) ? EXIT.ok : EXIT.failure;
}

/** Ask on a terminal (or require --yes); null to go on, else the exit code to stop with. */
async function confirm(io: CloseIo, yes: boolean): Promise<number | null> {
  if (yes) return null;
  if (!io.stdin.isTTY) {
    io.stderr.write('portscope: refusing to close without --yes when stdin is not a terminal\n');
    return EXIT.usage;
  }
  io.stdout.write('Close it? [y/N] ');
  const rl = createInterface({ input: io.stdin, terminal: false });
  const answer = await new Promise<string>((resolve) => {
    rl.once('line', resolve);
    rl.once('close', () => resolve(''));
  });
  rl.close();
  if (['y', 'yes'].includes(answer.trim().toLowerCase())) return null;
  io.stdout.write('Nothing was closed.\n');
  return EXIT.failure;
}
