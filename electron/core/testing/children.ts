import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Real child processes that hold real sockets, for vitest and Playwright alike (plain Node: no
 * Playwright import here). Each child is a `node -e` script that binds, prints `LISTENING <port>`
 * and stays up until it is killed or its parent goes away (stdin closes), so a crashed test run
 * never leaves listeners behind.
 */

export interface ListenerOptions {
  protocol?: 'tcp' | 'udp';
  /** 0 (default) lets the OS choose; the real port is reported back. */
  port?: number;
  /** Address to bind; default 127.0.0.1. */
  host?: string;
  /**
   * Process name the OS should report (comm / ps name). Done by running node through a symlink
   * with that name, since `process.title` does not change what /proc/<pid>/stat reports.
   */
  name?: string;
  /** Ignore SIGTERM (the "stubborn process" case for kill tests); the child prints `TERM` when one arrives. */
  trapTerm?: boolean;
  /** Working directory of the child (project detection tests run it inside a real project). */
  cwd?: string;
}

export interface Listener {
  pid: number;
  port: number;
  child: ChildProcess;
  /** True while the process has not exited. */
  alive(): boolean;
  /** Resolves when the process has exited (for any reason). */
  exited: Promise<void>;
  /** SIGKILL the child (cleanup; idempotent). */
  kill(): void;
}

const LISTENER_SCRIPT = `
const net = require('node:net');
const dgram = require('node:dgram');
const [protocol, host, port, trap] = process.argv.slice(-4);
// A trapped SIGTERM says so, so a test can await the signal's arrival instead of sleeping.
if (trap === '1') process.on('SIGTERM', () => process.stdout.write('TERM\\n'));
// Our parent closing stdin means the test run is over: never outlive it.
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
const report = (p) => process.stdout.write('LISTENING ' + p + '\\n');
const fail = (e) => { process.stderr.write(String(e && e.message || e) + '\\n'); process.exit(3); };
if (protocol === 'udp') {
  const s = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
  s.on('error', fail);
  s.bind(Number(port), host, () => report(s.address().port));
} else {
  const s = net.createServer((c) => c.on('error', () => {}));
  s.on('error', fail);
  s.listen(Number(port), host, () => report(s.address().port));
}
`;

/** Validate a process name for the symlink trick: a plain file name, nothing path-like. */
function checkName(name: string): string {
  if (!/^[A-Za-z0-9._-]{1,15}$/.test(name) || name.startsWith('.')) {
    throw new Error(`spawnListener: name must be 1-15 of [A-Za-z0-9._-], got ${JSON.stringify(name)}`);
  }
  return name;
}

/**
 * Spawn a real node child that binds a TCP listener or UDP socket and stays up.
 * Resolves once the socket is bound, with the real port (useful with port 0).
 */
export function spawnListener(opts: ListenerOptions = {}): Promise<Listener> {
  const protocol = opts.protocol ?? 'tcp';
  const host = opts.host ?? '127.0.0.1';
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`spawnListener: bad port ${port}`);

  let exe = process.execPath;
  let tempDir: string | null = null;
  if (opts.name) {
    tempDir = mkdtempSync(join(tmpdir(), 'portscope-child-'));
    exe = join(tempDir, checkName(opts.name));
    symlinkSync(process.execPath, exe);
  }
  const args = ['-e', LISTENER_SCRIPT, '--', protocol, host, String(port), opts.trapTerm ? '1' : '0'];
  const child = spawn(exe, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  // The symlink is only needed for exec; the running process keeps its comm name.
  const cleanTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    tempDir = null;
  };
  const alive = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (alive()) child.kill('SIGKILL');
  };

  return new Promise<Listener>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      kill();
      reject(new Error(`spawnListener: child did not report a port within 10 s (${err.trim()})`));
    }, 10_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /LISTENING (\d{1,5})\n/.exec(out);
      if (!m) return;
      clearTimeout(timer);
      cleanTemp();
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolve({ pid: child.pid as number, port: Number(m[1]), child, alive, exited, kill });
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      cleanTemp();
      reject(e);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      cleanTemp();
      reject(new Error(`spawnListener: child exited early (code ${code}, signal ${signal}): ${err.trim()}`));
    });
  });
}
