import { Readable } from 'node:stream';
import type { Scope } from '../../../shared/model';
import type { CliIo, CollectResult } from '../io';

/** An in-memory CliIo for running `main` in-process: captured output, a given collect. */
export interface CapturedIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
  /** The scopes collect was called with, in order. */
  scopes: Scope[];
}

export function captureIo(
  collect: (scope: Scope) => Promise<CollectResult>,
  terminal: { isTTY?: boolean; columns?: number } = {},
): CapturedIo {
  let out = '';
  let err = '';
  const scopes: Scope[] = [];
  return {
    io: {
      stdout: {
        // Bytes are whole UTF-8 text (writers never split a character across chunks).
        write: (s: string | Uint8Array) => {
          out += typeof s === 'string' ? s : Buffer.from(s).toString('utf8');
          return true;
        },
        ...terminal,
      },
      stderr: {
        write: (s: string | Uint8Array) => {
          err += typeof s === 'string' ? s : Buffer.from(s).toString('utf8');
          return true;
        },
      },
      stdin: Readable.from([]),
      env: {},
      collect: (scope) => {
        scopes.push(scope);
        return collect(scope);
      },
    },
    stdout: () => out,
    stderr: () => err,
    scopes,
  };
}
