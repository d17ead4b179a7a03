import type { Scope } from '../../../../shared/model';
import { parsePid, parsePort } from '../../../../shared/validate';

/**
 * The palette's command language, pure: text in, a typed command (or why not) out, plus fuzzy
 * suggestions over the command names. Fuzzy is only for finding a command; the numbers it acts on
 * are parsed exactly (shared/validate.ts), so "free 30001" can never mean 3000.
 */

export type PaletteCommand =
  | { type: 'free'; port: number }
  | { type: 'kill-pid'; pid: number }
  | { type: 'open'; port: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'filter'; text: string }
  | { type: 'scope'; scope: Scope };

export interface CommandSpec {
  /** The word that starts the command. */
  name: string;
  /** What to type, e.g. "free <port>". */
  usage: string;
  /** Text put into the input when the suggestion is picked (argument left to type). */
  template: string;
  description: string;
  /** True when the command needs an argument after its name. */
  takesArg: boolean;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'free',
    usage: 'free <port>',
    template: 'free ',
    description: 'Kill the process listening on a port',
    takesArg: true,
  },
  {
    name: 'kill',
    usage: 'kill pid <pid>',
    template: 'kill pid ',
    description: 'Kill a process shown in the table',
    takesArg: true,
  },
  {
    name: 'open',
    usage: 'open <port>',
    template: 'open ',
    description: 'Open http://localhost:<port> in the browser',
    takesArg: true,
  },
  { name: 'pause', usage: 'pause', template: 'pause', description: 'Pause live updates', takesArg: false },
  {
    name: 'resume',
    usage: 'resume',
    template: 'resume',
    description: 'Resume live updates',
    takesArg: false,
  },
  {
    name: 'filter',
    usage: 'filter <text>',
    template: 'filter ',
    description: 'Filter the table, e.g. filter proc:node (empty clears)',
    takesArg: true,
  },
  { name: 'all', usage: 'all', template: 'all', description: 'Show every socket', takesArg: false },
  {
    name: 'listening',
    usage: 'listening',
    template: 'listening',
    description: 'Show listening ports only',
    takesArg: false,
  },
];

export type ParseResult =
  | { ok: true; command: PaletteCommand }
  /** `spec` set when the command word was recognised but its argument is missing or wrong. */
  | { ok: false; error: string; spec?: CommandSpec };

function spec(name: string): CommandSpec {
  return COMMANDS.find((c) => c.name === name) as CommandSpec;
}

/** Split off the first word; the rest keeps its inner spacing (filters may contain quotes). */
function head(input: string): [string, string] {
  const text = input.trim();
  const m = /^(\S+)\s*([\s\S]*)$/.exec(text);
  return m ? [(m[1] as string).toLowerCase(), m[2] as string] : ['', ''];
}

/** Parse one palette line exactly. Unknown words, missing or invalid numbers are errors. */
export function parseCommand(input: string): ParseResult {
  const [word, rest] = head(input);
  if (!word) return { ok: false, error: 'Type a command' };
  const arg = rest.trim();
  switch (word) {
    case 'free': {
      const port = parsePort(arg);
      if (port === null) return { ok: false, spec: spec('free'), error: portError(arg) };
      return { ok: true, command: { type: 'free', port } };
    }
    case 'open': {
      const port = parsePort(arg);
      if (port === null) return { ok: false, spec: spec('open'), error: portError(arg) };
      return { ok: true, command: { type: 'open', port } };
    }
    case 'kill': {
      const m = /^pid\s+(\S+)$/i.exec(arg) ?? /^pid:(\S+)$/i.exec(arg);
      const pid = m ? parsePid(m[1]) : null;
      if (pid === null) {
        const error = m ? `"${m[1]}" is not a PID (digits only, 1 or more)` : 'Type: kill pid <pid>';
        return { ok: false, spec: spec('kill'), error };
      }
      return { ok: true, command: { type: 'kill-pid', pid } };
    }
    case 'pause':
    case 'resume':
      if (arg) return { ok: false, spec: spec(word), error: `"${word}" takes no argument` };
      return { ok: true, command: { type: word } };
    case 'all':
    case 'listening':
      if (arg) return { ok: false, spec: spec(word), error: `"${word}" takes no argument` };
      return { ok: true, command: { type: 'scope', scope: word } };
    case 'filter':
      return { ok: true, command: { type: 'filter', text: rest.trim() } };
    default:
      return { ok: false, error: `Unknown command "${word}"` };
  }
}

function portError(arg: string): string {
  return arg ? `"${arg}" is not a port (1-65535, digits only)` : 'Type a port number, e.g. 3000';
}

/**
 * How well `query` matches `name`: 0 for no match, higher is better. A prefix beats a
 * subsequence ("fr" → free, "lsn" → listening), and shorter names win ties.
 */
export function fuzzyScore(query: string, name: string): number {
  const q = query.toLowerCase();
  if (!q) return 1;
  if (name.startsWith(q)) return 1000 - name.length;
  let i = 0;
  for (const ch of name) if (ch === q[i]) i++;
  return i === q.length ? 500 - name.length : 0;
}

/** Commands whose name fuzzily matches the first word typed, best first (all of them when empty). */
export function suggest(input: string): CommandSpec[] {
  const [word] = head(input);
  return COMMANDS.map((c) => ({ c, s: fuzzyScore(word, c.name) }))
    .filter((x) => x.s > 0)
    .sort((a, b) => b.s - a.s)
    .map((x) => x.c);
}
