import type { CliIo } from './io';

/** A command: the words after its name → an exit code. */
export type CommandRunner = (argv: readonly string[], io: CliIo) => Promise<number>;

/**
 * Every command `portscope` knows, by name: ONE line each, and the command's module is imported
 * only when it runs. `portscope who` never loads what `serve` needs (zod, ws, the web server), and
 * `--version` loads none of them; the bundler emits each command as its own chunk.
 * To add a command: write `<name>-command.ts` exporting its runner, then one line here.
 */
export const commands: Record<string, CommandRunner> = {
  list: async (argv, io) => (await import('./list-command')).runList(argv, io),
  who: async (argv, io) => (await import('./who-command')).runWho(argv, io),
  kill: async (argv, io) => (await import('./kill-command')).runKill(argv, io),
  serve: async (argv, io) => (await import('./serve-command')).runServe(argv, io),
  metrics: async (argv, io) => (await import('./metrics-command')).runMetrics(argv, io),
  close: async (argv, io) => (await import('./close-command')).runClose(argv, io),
  history: async (argv, io) => (await import('./history-command')).runHistory(argv, io),
};
