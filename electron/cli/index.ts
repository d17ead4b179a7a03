import type { Writable } from 'node:stream';
import { main } from './main';
import { processIo } from './process-io';

export type { CliIo, CollectResult, OutStream } from './io';
export { EXIT, UsageError } from './io';
export { main } from './main';

/** Resolve once everything written so far has been handed to the OS (a pipe may lag behind). */
function flushed(stream: Writable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.destroyed || !stream.writable) resolve();
    else stream.write('', () => resolve());
  });
}

/**
 * Run the CLI as a program: real streams and engine, then exit with main's code. Exits explicitly
 * (after flushing) because engine handles such as timers must not keep a one-shot command alive.
 */
export async function runCli(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  // `portscope list | head` closes the pipe early: that is a normal end, not a crash.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  const code = await main(argv, processIo());
  process.exitCode = code;
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

// Run only as the entry (node out/cli/index.cjs); bin/portscope.cjs calls runCli() itself, and
// tests import this module without side effects.
if (typeof require !== 'undefined' && typeof module !== 'undefined' && require.main === module) {
  void runCli();
}
