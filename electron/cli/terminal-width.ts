import type { CliIo } from './io';

/**
 * The width output must fit, or undefined for "never cut": piped output and --wide keep every
 * character. On a terminal: COLUMNS when set (what `COLUMNS=100 portscope list` and shells that
 * export it ask for), else the tty's own width, else 80.
 */
export function terminalWidth(
  io: Pick<CliIo, 'stdout' | 'env'>,
  wide: boolean | undefined,
): number | undefined {
  if (wide || !io.stdout.isTTY) return undefined;
  const fromEnv = Number(io.env.COLUMNS);
  if (Number.isInteger(fromEnv) && fromEnv >= 20 && fromEnv <= 10_000) return fromEnv;
  return io.stdout.columns || 80;
}
