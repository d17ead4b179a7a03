import { execFile } from '../lazy/child-process';
import { SourceFailure } from './types';

export interface ExecToolOptions {
  signal: AbortSignal;
  /** PATH to look the tool up in (tests point it at a directory without the tool). */
  pathEnv?: string;
  /** Kill the child after this long even if nobody aborts. */
  timeoutMs?: number;
  hint?: string;
}

/**
 * Run a tool with an argument array (never a shell) and return its stdout. A missing binary, a
 * non-zero exit and an abort/time-out each become a classified SourceFailure; on abort the child is
 * killed (SIGKILL: a hung tool may ignore SIGTERM).
 */
export function execTool(tool: string, args: readonly string[], opts: ExecToolOptions): Promise<string> {
  const env = { ...process.env, LC_ALL: 'C', ...(opts.pathEnv !== undefined ? { PATH: opts.pathEnv } : {}) };
  return new Promise((resolve, reject) => {
    execFile(
      tool,
      args,
      {
        env,
        signal: opts.signal,
        timeout: opts.timeoutMs ?? 0,
        killSignal: 'SIGKILL',
        maxBuffer: 256 * 1024 * 1024,
        windowsHide: true,
      },
      (err, stdout, stderr) => {
        if (!err) return resolve(stdout);
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        if (e.code === 'ENOENT')
          return reject(new SourceFailure('missing', `${tool} not found on PATH`, tool, opts.hint));
        if (e.code === 'EACCES')
          return reject(new SourceFailure('permission', `${tool} is not executable`, tool, opts.hint));
        if (e.name === 'AbortError' || opts.signal.aborted || e.killed)
          return reject(new SourceFailure('timeout', `${tool} did not answer in time and was stopped`, tool));
        const why = String(stderr).trim().split('\n')[0] || e.message;
        reject(new SourceFailure('failed', `${tool} failed: ${why}`, tool, opts.hint));
      },
    );
  });
}
