import type { Scope, SocketRow, SourceError } from '../../shared/model';

/**
 * What every CLI command talks to instead of `process`: so `main(argv, io)` runs in-process in
 * tests with captured output, and with a real or a constructed `collect`.
 */

/** A writable text stream (process.stdout, or a capture in tests); bytes are UTF-8 text. */
export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  /** True when a person is looking (terminal); tables then fit the width. */
  isTTY?: boolean;
  /** Terminal width in columns, when known. */
  columns?: number;
}

/** A readable text stream (process.stdin, or a scripted one in tests). */
export interface InStream extends NodeJS.ReadableStream {
  isTTY?: boolean;
}

/** One engine snapshot as the CLI needs it: rows plus the sources that failed. */
export interface CollectResult {
  rows: SocketRow[];
  errors: SourceError[];
  /** Which socket source answered ('netlink', 'proc-net', …), when known (for --debug). */
  source?: string;
}

/** Everything a command may touch. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  /** Take one snapshot of the machine's sockets (the real engine by default). */
  collect(scope: Scope): Promise<CollectResult>;
  /**
   * The sockets on one port and every holder of them, doing only the work that port needs (see
   * port-collect.ts). Optional: without it `who` filters a full `collect`.
   */
  collectPort?(port: number, scope: Scope): Promise<CollectResult>;
  /** Environment (config directory, NO_COLOR…). */
  env: NodeJS.ProcessEnv;
}

/**
 * `--debug`: the same io, but every snapshot also says on stderr which source ran and how long the
 * collect took, e.g. `portscope: debug: source netlink, collect 4.2 ms (listening, 12 rows)`.
 */
export function withDebug(io: CliIo): CliIo {
  return {
    ...io,
    async collect(scope: Scope): Promise<CollectResult> {
      const started = performance.now();
      const result = await io.collect(scope);
      const ms = (performance.now() - started).toFixed(1);
      io.stderr.write(
        `portscope: debug: source ${result.source ?? 'unknown'}, collect ${ms} ms (${scope}, ${result.rows.length} rows)\n`,
      );
      return result;
    },
    ...(io.collectPort && {
      collectPort: async (port: number, scope: Scope): Promise<CollectResult> => {
        const started = performance.now();
        const result = await (io.collectPort as NonNullable<CliIo['collectPort']>)(port, scope);
        const ms = (performance.now() - started).toFixed(1);
        io.stderr.write(
          `portscope: debug: source ${result.source ?? 'unknown'}, collect ${ms} ms (port ${port}, ${scope}, ${result.rows.length} rows)\n`,
        );
        return result;
      },
    }),
  };
}

/** Exit codes shared by every command. */
export const EXIT = {
  ok: 0,
  /** Command ran but the answer is "no" (nobody holds the port, every source failed…). */
  failure: 1,
  /** Wrong usage: unknown option, bad port… */
  usage: 2,
} as const;

/** Thrown by argument parsing; the dispatcher prints it as one line and exits 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose --help to point at ('' for the top level). */
    public readonly command: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The one-line form of a usage error: `portscope: <message> (see portscope <cmd> --help)`. */
export function usageLine(error: UsageError): string {
  const see = error.command ? `portscope ${error.command} --help` : 'portscope --help';
  return `portscope: ${error.message} (see ${see})\n`;
}
