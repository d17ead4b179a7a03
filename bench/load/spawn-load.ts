import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath } from '../../electron/core/sources/which';

export interface LoadShape {
  tcpListeners: number;
  udp: number;
  established: number;
}

export interface RunningLoad {
  child: ChildProcess;
  pid: number;
  expected: LoadShape;
  stop(): Promise<void>;
}

/** Soft fd limit of this process, read from /proc (no shell, no `ulimit`); null when unknown. */
function softNoFile(): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Spawn the load child. It needs about tcp + udp + 2×pairs + 100 fds; when the inherited soft
 * limit is lower, it is started under `prlimit --nofile=N:N` (argument array, no shell).
 */
export async function spawnLoad(tcp: number, udp: number, pairs: number): Promise<RunningLoad> {
  const script = join(import.meta.dirname ?? __dirname, 'load-child.mjs');
  const need = tcp + udp + pairs * 2 + 200;
  const soft = softNoFile();
  let cmd = process.execPath;
  let args = [script, String(tcp), String(udp), String(pairs)];
  if (soft !== null && soft < need && findOnPath('prlimit')) {
    args = [`--nofile=${need}:${need}`, '--', cmd, ...args];
    cmd = 'prlimit';
  }
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout?.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    child.once('exit', (code) => reject(new Error(`load child exited early (${code})`)));
  });
  if (!line.startsWith('READY ')) throw new Error(`load child: ${line}`);
  const expected = JSON.parse(line.slice(6)) as LoadShape;
  const pid = child.pid as number;
  return {
    child,
    // With prlimit the load is prlimit's exec'd image: same PID.
    pid,
    expected,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      }),
  };
}
