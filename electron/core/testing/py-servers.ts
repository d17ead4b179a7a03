import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Test helpers: the real servers of servers.py (pre-fork, hand-off, reuseport …) as child processes. */

export type ServerMode = 'prefork' | 'handoff' | 'reuseport' | 'devices' | 'v6' | 'timewait';

export interface PyServer {
  pid: number;
  port: number;
  /** Forked workers' PIDs (prefork, handoff). */
  workers: number[];
  /** Everything the ready line said (e.g. dualPort). */
  info: Record<string, unknown>;
  child: ChildProcess;
  /** Send a line on stdin and resolve with the next JSON line the server prints. */
  tell(line: string): Promise<Record<string, unknown>>;
  /** Close stdin and SIGKILL the server (its workers exit with it); idempotent. */
  stop(): void;
}

const SCRIPT = join(__dirname, 'servers.py');
/** The system interpreter: a pyenv shim on PATH costs two seconds per start. */
export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Start `python3 servers.py <mode>` and wait for its ready line. */
export function startPyServer(mode: ServerMode): Promise<PyServer> {
  const child = spawn(PYTHON, [SCRIPT, mode], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  lines.on('line', (l) => waiting.shift()?.(JSON.parse(l)));
  const next = () => new Promise<Record<string, unknown>>((r) => waiting.push(r));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`servers.py ${mode} exited with ${code}`)));
    next().then((info) => {
      resolve({
        pid: info.pid as number,
        port: info.port as number,
        workers: (info.workers as number[] | undefined) ?? [],
        info,
        child,
        tell(line) {
          const reply = next();
          child.stdin?.write(`${line}\n`);
          return reply;
        },
        stop() {
          child.stdin?.end();
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        },
      });
    }, reject);
  });
}
