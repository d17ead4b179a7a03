import { parseFilter } from '../../shared/filter';
import type { SocketRow } from '../../shared/model';
import { parseCommandArgs } from './args';
import { LIST_HELP } from './help';
import { type CliIo, EXIT, UsageError } from './io';
import { writeJsonRows } from './json-rows';
import { formatListTable, sortRows } from './list-format';
import { terminalWidth } from './terminal-width';
import { safeText } from './text';
import { printWarnings } from './warnings';

const spec = {
  all: { type: 'boolean', short: 'a' },
  json: { type: 'boolean' },
  filter: { type: 'string', short: 'f' },
  'no-header': { type: 'boolean' },
  wide: { type: 'boolean', short: 'w' },
} as const;

/** Parse --filter TEXT with the shared filter language; unknown tokens are a usage error. */
function buildFilter(text: string | undefined): ((row: SocketRow) => boolean) | null {
  if (text === undefined) return null;
  const filter = parseFilter(text);
  if (filter.issues.length > 0) {
    const what = filter.issues.map((i) => `'${safeText(i.token)}': ${safeText(i.message)}`).join('; ');
    throw new UsageError(`bad filter ${what}`, 'list');
  }
  return filter.empty ? null : (row) => filter.test(row);
}

/**
 * `portscope list [--all] [--json] [--filter TEXT] [--no-header]`.
 * Exit 0 when the engine returned rows (or nothing failed), 1 when every source failed.
 */
export async function runList(argv: readonly string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs('list', argv, spec, 0);
  if (args.help) {
    io.stdout.write(LIST_HELP);
    return EXIT.ok;
  }
  const all = args.values.all === true;
  const test = buildFilter(args.values.filter);
  const { rows, errors } = await io.collect(all ? 'all' : 'listening');
  printWarnings(io.stderr, errors);

  const shown = test ? rows.filter(test) : rows;
  if (args.values.json) {
    // Streamed in chunks as they are made: 25,000 rows are ~29 MB (see json-rows.ts).
    writeJsonRows(sortRows(shown), (chunk) => io.stdout.write(chunk));
  } else if (shown.length === 0) {
    if (!args.values['no-header']) {
      const what = all ? 'sockets' : 'listening sockets';
      io.stdout.write(test ? `No ${what} match the filter.\n` : `No ${what}.\n`);
    }
  } else {
    const width = terminalWidth(io, args.values.wide);
    io.stdout.write(formatListTable(shown, { all, header: !args.values['no-header'], width }));
  }
  // Failure is a state, never an empty table: with nothing to show because sources failed, say no.
  return errors.length > 0 && rows.length === 0 ? EXIT.failure : EXIT.ok;
}
