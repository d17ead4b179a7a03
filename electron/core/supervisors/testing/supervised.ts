import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../sources/which';

/** A supervisor started by a test, with the program it keeps running on `port`. */
export interface Supervised {
  pid: number;
  /** supervisord: its config file. */
  conf?: string;
  stop(): Promise<void>;
}

const PYTHON = findOnPath('python3') ?? '/usr/bin/python3';

/**
 * Debian's supervisord with its own temp config and control socket (nothing of the machine's),
 * running `python3 -m http.server <port>` as program `name` with autorestart.
 */
export function startSupervisord(name: string, port: number): Supervised | { skip: string } {
  const supervisord = findOnPath('supervisord');
  if (!supervisord) return { skip: 'supervisord is not installed (apt-get install supervisor)' };
  const dir = mkdtempSync(join(tmpdir(), 'ps-supervisord-'));
  const conf = join(dir, 'supervisord.conf');
  writeFileSync(
    conf,
    [
      '[unix_http_server]',
      `file=${dir}/supervisor.sock`,
      '[supervisord]',
      `logfile=${dir}/supervisord.log`,
      `pidfile=${dir}/supervisord.pid`,
      `childlogdir=${dir}`,
      'nodaemon=true',
      '[rpcinterface:supervisor]',
      'supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface',
      '[supervisorctl]',
      `serverurl=unix://${dir}/supervisor.sock`,
      `[program:${name}]`,
      `command=${PYTHON} -m http.server ${port} --bind 127.0.0.1`,
      `directory=${dir}`,
      'autorestart=true',
      'startsecs=0',
      'stopsignal=TERM',
      '',
    ].join('\n'),
  );
  const child = spawn(supervisord, ['-c', conf], { stdio: 'ignore' });
  return { pid: child.pid as number, conf, stop: () => stopChild(child, dir) };
}

/**
 * A shell-free respawning parent: a python3 process that runs `python3 -m http.server <port>`
 * and starts it again whenever it exits (what many dev tools and hand-made supervisors do).
 */
export function startRespawner(port: number): Supervised {
  const script = [
    'import subprocess, sys',
    `args = [${JSON.stringify(PYTHON)}, "-m", "http.server", "${port}", "--bind", "127.0.0.1"]`,
    'while True:',
    '    subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)',
  ].join('\n');
  const child = spawn(PYTHON, ['-c', script], { stdio: 'ignore' });
  return { pid: child.pid as number, stop: () => stopChild(child, null, true) };
}

async function stopChild(child: ChildProcess, dir: string | null, group = false): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const done = new Promise((r) => child.once('exit', r));
    // The respawner's child would outlive a killed parent: end the parent first, then its children.
    child.kill(group ? 'SIGKILL' : 'SIGTERM');
    await done;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}
