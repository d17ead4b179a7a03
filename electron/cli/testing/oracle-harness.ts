import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { PYTHON, type PyServer, startPyServer } from '../../core/testing/py-servers';

/**
 * Runs INSIDE a private network namespace (see oracle.real.test.ts): starts the real servers, does
 * the hand-off, then takes `ss -tuanpeH`, `portscope list --all --json` and `ss -tuanpeH` again,
 * plus a few `who` answers, and prints it all as one JSON document on stdout.
 */

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'electron', 'cli', 'index.ts');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function run(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { timeout: 60_000, maxBuffer: 64 << 20 }, (error, out, err) => {
      const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
      resolve({ code, out, err });
    });
  });
}

/** The real CLI, as `portscope …` runs it from a checkout (TypeScript through tsx). */
const portscope = (...args: string[]) => run(process.execPath, ['--import', 'tsx', CLI, ...args]);

/** `python3 -m http.server 0`: the port it chose, from its first line. */
function httpServer(): Promise<{ pid: number; port: number; stop(): void }> {
  const child = spawn(PYTHON, ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1'], {
    stdio: ['pipe', 'pipe', 'ignore'],
    cwd: '/tmp',
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`http.server exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => {
      const port = Number(/port (\d+)/.exec(line)?.[1]);
      resolve({ pid: child.pid as number, port, stop: () => child.kill('SIGKILL') });
    });
  });
}

async function main(): Promise<void> {
  const servers: PyServer[] = [];
  const http = await httpServer();
  try {
    for (const mode of ['prefork', 'reuseport', 'devices', 'v6', 'timewait', 'handoff'] as const)
      servers.push(await startPyServer(mode));
    const handoff = servers.at(-1) as PyServer;
    await handoff.tell('close');
    const before = await run('ss', ['-tuanpeH']);
    const list = await portscope('list', '--all', '--json');
    const after = await run('ss', ['-tuanpeH']);
    const byMode = Object.fromEntries(
      servers.map((s) => [s.info.mode ?? s.child.spawnargs.at(-1), { ...s.info, workers: s.workers }]),
    );
    // The TIME_WAIT answers first: the kernel keeps that socket for 60 s only.
    const who = {
      timewait: await portscope('who', String(byMode.timewait?.port), '--all'),
      timewaitJson: await portscope('who', String(byMode.timewait?.port), '--all', '--json'),
      prefork: await portscope('who', String(byMode.prefork?.port)),
    };
    const preforkPort = String(byMode.prefork?.port);
    // who's own fast path (the port's sockets, then their holders) against ss for the same port.
    const ssWhoBefore = await run('ss', ['-tlnpH', `sport = :${preforkPort}`]);
    const preforkJson = await portscope('who', preforkPort, '--json');
    const ssWhoAfter = await run('ss', ['-tlnpH', `sport = :${preforkPort}`]);
    const handoffJson = await portscope('who', String(byMode.handoff?.port), '--json');
    const ssHandoff = await run('ss', ['-tlnpH', `sport = :${byMode.handoff?.port}`]);
    Object.assign(who, { preforkJson, ssWhoBefore, ssWhoAfter, handoffJson, ssHandoff });
    process.stdout.write(
      JSON.stringify({ http: { pid: http.pid, port: http.port }, servers: byMode, before, list, after, who }),
    );
  } finally {
    http.stop();
    for (const s of servers) s.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    process.exit(3);
  },
);
