import { parsePort } from '../../shared/numbers';
import { holdsPort } from '../../shared/socket-rules';
import { parseCommandArgs } from './args';
import { WHO_HELP } from './help';
import { type CliIo, EXIT, UsageError } from './io';
import { terminalWidth } from './terminal-width';
import { jsonText, safeText } from './text';
import { printWarnings } from './warnings';
import { findHolders, formatHolders, heldByProcess, holdersJson } from './who-format';

/** Root (or an elevated Windows shell, which we cannot tell cheaply) sees every owner it can. */
const isPrivileged = () => process.getuid?.() === 0;

const spec = {
  all: { type: 'boolean', short: 'a' },
  json: { type: 'boolean' },
  wide: { type: 'boolean', short: 'w' },
} as const;

/**
 * `portscope who <port> [--all] [--json]`: who holds exactly that port.
 * Exit 0 when someone does, 1 when nobody does, 2 for a bad port.
 */
export async function runWho(
  argv: readonly string[],
  io: CliIo,
  now: () => number = Date.now,
): Promise<number> {
  const args = parseCommandArgs('who', argv, spec, 1);
  if (args.help) {
    io.stdout.write(WHO_HELP);
    return EXIT.ok;
  }
  const text = args.positionals[0];
  if (text === undefined) throw new UsageError('missing <port>', 'who');
  const port = parsePort(text);
  if (port === null)
    throw new UsageError(`invalid port '${safeText(text)}' (expected 1-65535, e.g. 3000 or :3000)`, 'who');

  const all = args.values.all === true;
  const scope = all ? 'all' : 'listening';
  // The fast path reads only this port's sockets and their holders; a full collect otherwise.
  const { rows, errors } = io.collectPort ? await io.collectPort(port, scope) : await io.collect(scope);
  printWarnings(io.stderr, errors);
  // Without --all only listeners and bound UDP sockets count as holding a port.
  const candidates = all ? rows : rows.filter((r) => holdsPort(r, port));
  const holders = findHolders(candidates, port, isPrivileged());
  // Sockets the kernel keeps after close are listed (with --all) but hold nothing: exit 1.
  const held = heldByProcess(holders);

  if (args.values.json) {
    io.stdout.write(jsonText(holdersJson(holders)));
  } else if (holders.length === 0) {
    const what = all ? 'uses' : 'is listening on';
    const unsure = errors.length > 0 ? ' (but a source failed, so this may be incomplete)' : '';
    io.stdout.write(`Nobody ${what} port ${port}${unsure}.\n`);
  } else {
    io.stdout.write(formatHolders(port, holders, now(), isPrivileged(), terminalWidth(io, args.values.wide)));
  }
  return held ? EXIT.ok : EXIT.failure;
}
