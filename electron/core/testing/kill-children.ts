import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { ProcessIdentity } from '../../../shared/model';
import { readStartId } from '../processes/proc-identity';

/**
 * Real child processes for the kill tests (test-only helper, not shipped). Each child prints one
 * JSON line when it is ready ({ port } for listeners, { pids } for trees) so tests never sleep.
 */

export interface Child {
  proc: ChildProcess;
  pid: number;
  ready: Record<string, unknown>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children: ChildProcess[] = [];
const extraPids: number[] = [];

/** Remember a grandchild PID so cleanup ends it even when a test fails half-way. */
export function trackPid(pid: number): void {
  extraPids.push(pid);
}

/** A node script run as a child; resolves once it printed its ready line. */
export async function spawnNode(script: string): Promise<Child> {
  return spawnReady(process.execPath, ['-e', script]);
}

/** Spawn any program (argument array, no shell) and wait for its first stdout line as JSON. */
export async function spawnReady(file: string, args: string[]): Promise<Child> {
  const proc = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(proc);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    rl.once('line', (l) => resolve(l));
    proc.once('exit', (code) => reject(new Error(`child exited (${code}) before it was ready`)));
  });
  return { proc, pid: proc.pid as number, ready: JSON.parse(line) as Record<string, unknown>, exited };
}

/** Script: listen on TCP `port` (0 = any free port) on loopback, optionally ignoring SIGTERM. */
export function listenerScript(port: number, opts: { trapTerm?: boolean; udp?: boolean } = {}): string {
  const trap = opts.trapTerm ? "process.on('SIGTERM', () => {});" : '';
  if (opts.udp)
    return `${trap} const s = require('node:dgram').createSocket('udp4'); s.on('error', (e) => { console.log(JSON.stringify({ error: e.code })); process.exit(3); }); s.bind(${port}, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port, pid: process.pid })));`;
  return `${trap} const s = require('node:net').createServer(() => {}); s.on('error', (e) => { console.log(JSON.stringify({ error: e.code })); process.exit(3); }); s.listen(${port}, '127.0.0.1', () => console.log(JSON.stringify({ port: s.address().port, pid: process.pid })));`;
}

/**
 * A listener child on a fixed port below the ephemeral range (10000-19999; the P / P*10+1 pairs of
 * the exact-match tests use 2000-6500 and 20001+). Port 0 would be picked from the ephemeral range,
 * where another program's outgoing socket may take the number the moment our child frees it,
 * making "port released" a race with the rest of the machine.
 */
export async function spawnListener(
  opts: { trapTerm?: boolean; udp?: boolean; extra?: string } = {},
): Promise<Child> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const port = 10000 + Math.floor(Math.random() * 10000);
    const child = await spawnNode(`${listenerScript(port, opts)} ${opts.extra ?? ''}`);
    if (!child.ready.error) return child;
  }
  throw new Error('no free port below the ephemeral range');
}

/** The identity the table would show for a PID, read now. */
export async function identityOf(pid: number): Promise<ProcessIdentity> {
  const startId = await readStartId(pid);
  if (!startId) throw new Error(`no start id for ${pid}`);
  return { pid, startId };
}

/** True while the PID names a live process (a zombie has exited: it only waits to be reaped). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

/** Process state letter from /proc (e.g. 'T' for stopped). */
export function procState(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /s, '')
    .charAt(0);
}

/** Kill everything the tests spawned (afterEach), whatever state it is in. */
export function cleanupChildren(): void {
  for (const c of children.splice(0)) {
    if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  }
  for (const pid of extraPids.splice(0)) {
    try {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}
