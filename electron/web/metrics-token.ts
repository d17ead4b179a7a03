import { constants, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The exporter's bearer token, read from a file (never argv: /proc/<pid>/cmdline is public) that
 * only its owner may read. A world-readable token file is refused rather than used: any local
 * user could read it and the token would protect nothing.
 */

/** Thrown for an unusable token file or listen address (the CLI prints it as a usage error). */
export class MetricsConfigError extends Error {
  override name = 'MetricsConfigError';
}

/** Shortest token accepted: 16 characters (e.g. `openssl rand -hex 16` gives 32). */
export const MIN_TOKEN_CHARS = 16;
const MAX_TOKEN_FILE_BYTES = 4096;
// What may travel in an Authorization header unquoted: visible ASCII, no spaces.
const TOKEN_CHARS = /^[\x21-\x7e]+$/;

/** Why these file stats make the file unusable as a token file, or null when it is fine. */
export function tokenFileProblem(stats: Pick<Stats, 'mode' | 'size' | 'isFile'>): string | null {
  if (!stats.isFile()) return 'is not a regular file';
  if (stats.mode & 0o004) return 'is readable by every user (chmod 600 it, or 640 for a group)';
  if (stats.mode & 0o002) return 'is writable by every user (chmod 600 it)';
  if (stats.size > MAX_TOKEN_FILE_BYTES) return `is larger than ${MAX_TOKEN_FILE_BYTES} bytes`;
  return null;
}

/**
 * Read and check a token file: a regular file, not world-readable or -writable, holding one token
 * of at least MIN_TOKEN_CHARS visible ASCII characters (surrounding whitespace is dropped). The
 * checks are made on the opened descriptor, so the file cannot be swapped between check and read.
 */
export async function readTokenFile(path: string): Promise<string> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new MetricsConfigError(`cannot read the token file ${path} (${code})`);
  }
  try {
    const problem = tokenFileProblem(await handle.stat());
    if (problem) throw new MetricsConfigError(`refusing the token file ${path}: it ${problem}`);
    const token = (await handle.readFile('utf8')).trim();
    if (token.length < MIN_TOKEN_CHARS || !TOKEN_CHARS.test(token)) {
      throw new MetricsConfigError(
        `refusing the token file ${path}: it must hold one token of at least ${MIN_TOKEN_CHARS} visible ASCII characters, no spaces`,
      );
    }
    return token;
  } finally {
    await handle.close();
  }
}
