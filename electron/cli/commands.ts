import type { CliIo } from './io';
import { runKill } from './kill-command';
import { runList } from './list-command';
import { runServe } from './serve-command';
import { runWho } from './who-command';

/** A command: the words after its name → an exit code. */
export type CommandRunner = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Every command `portscope` knows, by name. */
export const commands: Record<string, CommandRunner> = {
  list: runList,
  who: runWho,
  kill: (argv, io) => runKill(argv, io),
  serve: (argv, io) => runServe(argv, io),
  history: async (argv, io) => (await import('./history-command')).runHistory(argv, io),
};
