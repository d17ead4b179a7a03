import { type Child, spawnReady, trackPid } from './kill-children';

/**
 * A real pre-fork server (test-only helper, not shipped): python3 binds and listens, then forks
 * two workers that all hold the same listener, like nginx, gunicorn or apache. SIGUSR1 makes the
 * master fork one more worker (a holder that appears after a plan was shown); it prints the new
 * PID as a JSON line. Every process just waits for signals; the default SIGTERM action ends it.
 */
const SCRIPT = `
import json, os, signal, socket, sys
port = int(sys.argv[1])
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(('127.0.0.1', port))
except OSError as e:
    print(json.dumps({'error': e.errno}), flush=True)
    sys.exit(3)
s.listen(16)
def worker():
    pid = os.fork()
    if pid == 0:
        signal.signal(signal.SIGUSR1, signal.SIG_IGN)
        while True:
            signal.pause()
    return pid
workers = [worker(), worker()]
def more(_sig, _frame):
    print(json.dumps({'worker': worker()}), flush=True)
signal.signal(signal.SIGUSR1, more)
print(json.dumps({'port': s.getsockname()[1], 'workers': workers}), flush=True)
while True:
    signal.pause()
`;

export interface PreFork extends Child {
  port: number;
  workers: number[];
}

/** Start the pre-fork server on `port` (0 = any free port), or on a random port below the ephemeral range. */
export async function spawnPreFork(port?: number): Promise<PreFork> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const p = port ?? 10000 + Math.floor(Math.random() * 10000);
    const child = await spawnReady('python3', ['-c', SCRIPT, String(p)]);
    if (child.ready.error) {
      if (port !== undefined) throw new Error(`port ${port} is taken (errno ${child.ready.error})`);
      continue;
    }
    const workers = child.ready.workers as number[];
    for (const w of workers) trackPid(w);
    return { ...child, port: child.ready.port as number, workers };
  }
  throw new Error('no free port below the ephemeral range');
}
