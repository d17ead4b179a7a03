import { version } from '../../package.json';
import { takeDebugFlag } from './args';
import { commands } from './commands';
import { TOP_HELP } from './help';
import { type CliIo, EXIT, UsageError, usageLine, withDebug } from './io';
import { safeText } from './text';

/**
 * The dispatcher: `portscope <command> [options]` → an exit code. Takes its world as `io`, so tests
 * run it in-process; never calls process.exit itself.
 */
export async function main(words: readonly string[], given: CliIo): Promise<number> {
  const { argv, debug } = takeDebugFlag(words);
  const io = debug ? withDebug(given) : given;
  try {
    const [first, ...rest] = argv;
    if (first === undefined || first === '--help' || first === '-h') {
      io.stdout.write(TOP_HELP);
      return EXIT.ok;
    }
    if (first === '--version' || first === '-v') {
      io.stdout.write(`portscope ${version}\n`);
      return EXIT.ok;
    }
    if (first === 'help') return await help(rest, io);
    if (first.startsWith('-')) throw new UsageError(`unknown option ${safeText(first)}`, '');
    const run = Object.hasOwn(commands, first) ? commands[first] : undefined;
    if (!run) throw new UsageError(`unknown command '${safeText(first)}'`, '');
    return await run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(usageLine(error));
      return EXIT.usage;
    }
    // Anything else is a bug or an environment failure: one line, the stack only when asked for.
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`portscope: error: ${safeText(message)}\n`);
    if (io.env.PORTSCOPE_DEBUG && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}

/** `portscope help [command]`. */
async function help(rest: readonly string[], io: CliIo): Promise<number> {
  const [name, extra] = rest;
  if (extra !== undefined) throw new UsageError(`unexpected argument '${safeText(extra)}'`, 'help');
  if (name === undefined) {
    io.stdout.write(TOP_HELP);
    return EXIT.ok;
  }
  const run = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!run) throw new UsageError(`unknown command '${safeText(name)}'`, '');
  return run(['--help'], io);
}
