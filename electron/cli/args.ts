import { UsageError } from './io';
import { safeText } from './text';

/**
 * A small strict argument parser. Hand-rolled rather than node:util parseArgs because the filter
 * language has negations (`--filter -proc:chrome`): a string option must take the next argument
 * even when it starts with '-', and every error must fit on one line.
 */

export interface OptionDef {
  type: 'boolean' | 'string';
  /** One-letter alias, e.g. 'h' for --help. */
  short?: string;
}
export type OptionSpec = Record<string, OptionDef>;

export type OptionValues<S extends OptionSpec> = {
  [K in keyof S]?: S[K]['type'] extends 'boolean' ? boolean : string;
};

export interface ParsedArgs<S extends OptionSpec> {
  values: OptionValues<S>;
  positionals: string[];
  /** --help or -h was given: the command prints its help and nothing else. */
  help: boolean;
}

/**
 * Parse `argv` (the words after the command name) against `spec`.
 * Throws UsageError for unknown options, missing or unexpected values and extra positionals.
 * `--help`/`-h` is always accepted and stops parsing.
 */
export function parseCommandArgs<S extends OptionSpec>(
  command: string,
  argv: readonly string[],
  spec: S,
  maxPositionals: number,
): ParsedArgs<S> {
  const values: Record<string, boolean | string> = {};
  const positionals: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, def] of Object.entries(spec)) if (def.short) byShort.set(def.short, name);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '--help' || arg === '-h') return { values: {}, positionals: [], help: true };
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const def = Object.hasOwn(spec, name) ? spec[name] : undefined;
      if (!def) throw new UsageError(`unknown option --${safeText(name)}`, command);
      if (def.type === 'boolean') {
        if (eq >= 0) throw new UsageError(`option --${name} takes no value`, command);
        values[name] = true;
      } else if (eq >= 0) {
        values[name] = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`option --${name} needs a value`, command);
        values[name] = next;
        i++;
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      const name = byShort.get(arg.slice(1));
      if (!name) throw new UsageError(`unknown option ${safeText(arg)}`, command);
      // Short aliases exist only for flags (and -h) here; a value-taking alias would need a value.
      const def = spec[name] as OptionDef;
      if (def.type === 'string') {
        const next = argv[i + 1];
        if (next === undefined) throw new UsageError(`option ${arg} needs a value`, command);
        values[name] = next;
        i++;
      } else {
        values[name] = true;
      }
      continue;
    }
    positionals.push(arg);
  }
  if (positionals.length > maxPositionals) {
    const extra = positionals[maxPositionals] as string;
    throw new UsageError(`unexpected argument '${safeText(extra)}'`, command);
  }
  return { values: values as OptionValues<S>, positionals, help: false };
}

/**
 * Take the global `--debug` flag out of a command's words (anywhere before `--`), so every command
 * accepts it without listing it in its own spec.
 */
export function takeDebugFlag(argv: readonly string[]): { argv: string[]; debug: boolean } {
  const end = argv.indexOf('--');
  const head = end < 0 ? argv : argv.slice(0, end);
  if (!head.includes('--debug')) return { argv: [...argv], debug: false };
  const tail = end < 0 ? [] : argv.slice(end);
  return { argv: [...head.filter((a) => a !== '--debug'), ...tail], debug: true };
}
