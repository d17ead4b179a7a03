import type { execFile as ExecFile } from 'node:child_process';

/**
 * node:child_process's execFile, loaded on the first call. Requiring child_process pulls in net,
 * stream and dgram (~10-25 ms of a CLI start), and the Linux paths of `list` and `who` never
 * spawn anything: only fallbacks and other OSes do. Same signature, same behaviour.
 */
export const execFile = ((...args: unknown[]) =>
  (process.getBuiltinModule('node:child_process').execFile as (...a: unknown[]) => unknown)(
    ...args,
  )) as typeof ExecFile;
