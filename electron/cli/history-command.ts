import type { ActionEvent, HistoryResult, HolderSpan } from '../../shared/history';
import { parsePort } from '../../shared/validate';
import { historyDir } from '../core/history/history-dir';
import { queryHistory } from '../core/history/history-query';
import { readHistory } from '../core/history/history-reader';
import { parseCommandArgs } from './args';
import { clockText, parseDuration, parseTime } from './history-time';
import { type CliIo, EXIT, UsageError } from './io';
import { jsonText, safeText } from './text';

export const HISTORY_HELP = `Usage: portscope history [PORT|FILTER…] [--since 2h | --from <time> --to <time>] [--json]

What held a port, from when to when, and what Portscope killed: read from the history the desktop
app and \`portscope serve\` record (and \`portscope kill\` adds to).

Arguments:
  PORT           one port, e.g. 5432 or :5432
  FILTER         the table's filter language, e.g. proc:postgres, "user:alice port:5000-5999"

Options:
      --since <d>    the last d: 30m, 2h, 7d, 2w (default 24h)
      --from <time>  from this time: 09:30 (today), 2026-12-01, 2026-12-01T09:30
      --to <time>    up to this time (default now)
      --json         the timelines and the raw events as JSON
  -h, --help         show this help

Each line: port, holder (PID), opened → closed, how it ended. "seen" means it was already open
when recording began; "unknown" means recording stopped while it was open.
Exit codes: 0 something was found, 1 nothing was recorded for it, 2 wrong usage.
`;

const spec = {
  since: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  json: { type: 'boolean' },
} as const;

/** What `history` needs from the CLI's io. */
export type HistoryIo = Pick<CliIo, 'stdout' | 'stderr' | 'env'>;

function window(
  values: { since?: string; from?: string; to?: string },
  now: number,
): { from: number; to: number } {
  if (values.since !== undefined && (values.from !== undefined || values.to !== undefined)) {
    throw new UsageError('use --since or --from/--to, not both', 'history');
  }
  const time = (name: 'from' | 'to', text: string) => {
    const t = parseTime(text, now);
    if (t === null)
      throw new UsageError(
        `invalid --${name} '${safeText(text)}' (e.g. 09:30 or 2026-12-01T09:30)`,
        'history',
      );
    return t;
  };
  const to = values.to !== undefined ? time('to', values.to) : now;
  if (values.from !== undefined) {
    const from = time('from', values.from);
    if (from > to) throw new UsageError('--from is after --to', 'history');
    return { from, to };
  }
  const since = values.since ?? '24h';
  const ms = parseDuration(since);
  if (ms === null) throw new UsageError(`invalid --since '${safeText(since)}' (e.g. 30m, 2h, 7d)`, 'history');
  return { from: to - ms, to };
}

function holderText(s: HolderSpan): string {
  if (s.process) return `${safeText(s.process.name || '?')} (PID ${s.process.pid})`;
  if (s.container) return `container ${safeText(s.container.name)}`;
  return s.user ? `a process of ${safeText(s.user)}` : 'a hidden process';
}

function endText(s: HolderSpan, now: number): string {
  const from = `${clockText(s.from, now)}${s.fromKind === 'seen' ? ' (seen)' : ''}`;
  const to = s.to === null ? 'now' : clockText(s.to, now);
  const how = s.toKind === 'closed' ? 'closed' : s.toKind === 'open' ? 'open' : 'unknown end';
  const killed = s.killedBy ? `, killed (${s.killedBy.by}${signalsText(s.killedBy)})` : '';
  return `${from} → ${to}  ${how}${killed}`;
}

function signalsText(a: ActionEvent): string {
  const sigs = [...new Set(a.signals.map((s) => s.signal))];
  return sigs.length > 0 ? `, ${sigs.join('+')}` : '';
}

function actionText(a: ActionEvent, now: number): string {
  const who = a.targets.map((t) => `${safeText(t.name || '?')} (PID ${t.pid})`).join(', ');
  const what = a.action === 'free-port' ? `free port ${a.ports.join(', ')}` : a.action;
  return `${clockText(a.t, now)}  ${what} from ${a.by}: ${who || 'nothing'}${signalsText(a)} → ${safeText(a.outcome)}`;
}

/** The timelines as terminal lines. */
export function formatHistory(result: HistoryResult, now: number): string {
  const lines: string[] = [];
  for (const tl of result.ports) {
    const port = `${tl.port}/${tl.protocol}`.padEnd(10);
    for (const s of tl.spans) lines.push(`${port}  ${holderText(s)}  ${endText(s, now)}`);
    for (const a of tl.actions) lines.push(`${' '.repeat(10)}  ${actionText(a, now)}`);
  }
  for (const a of result.otherActions) lines.push(`${'-'.padEnd(10)}  ${actionText(a, now)}`);
  if (result.truncated) lines.push('(more ports than shown: narrow with a port, a filter or --since)');
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** `portscope history [PORT|FILTER] [--since|--from --to] [--json]`. */
export async function runHistory(
  argv: readonly string[],
  io: HistoryIo,
  now: () => number = Date.now,
): Promise<number> {
  const args = parseCommandArgs('history', argv, spec, 20);
  if (args.help) {
    io.stdout.write(HISTORY_HELP);
    return EXIT.ok;
  }
  const t = now();
  const { from, to } = window(args.values, t);
  const text = args.positionals.join(' ').trim();
  const port = text === '' ? null : parsePort(text);
  const dir = historyDir(io.env);
  const q = { from, to, ...(port !== null ? { port } : text ? { filter: text } : {}) };
  const result = await queryHistory(dir, q);
  const found = result.ports.length > 0 || result.otherActions.length > 0;
  if (args.values.json) {
    const ports = new Set(result.ports.map((p) => p.port));
    const events = (await readHistory(dir, port !== null ? { port, to } : { to })).events.filter(
      (e) =>
        e.t >= from &&
        (e.kind === 'kill'
          ? e.ports.some((p) => ports.has(p)) || e.ports.length === 0
          : 'port' in e && ports.has(e.port)),
    );
    io.stdout.write(jsonText({ ...result, events }));
  } else if (!found) {
    const what = port !== null ? `port ${port}` : text ? `'${safeText(text)}'` : 'any port';
    io.stdout.write(`Nothing recorded for ${what} between ${clockText(from, t)} and ${clockText(to, t)}.\n`);
    if (result.notice) io.stdout.write(`${safeText(result.notice)}\n`);
  } else {
    io.stdout.write(formatHistory(result, t));
    if (result.notice) io.stderr.write(`portscope: ${safeText(result.notice)}\n`);
  }
  return found ? EXIT.ok : EXIT.failure;
}
