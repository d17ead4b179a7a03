import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { alive, cleanupChildren, identityOf, listenerScript, spawnNode } from '../testing/kill-children';
import { elevationCommand, LINUX_KILL_BIN, wasCancelled } from './elevation';
import { createKiller, type ElevationRunner } from './index';

afterEach(cleanupChildren);

/** A runner that records what it was asked to run, then runs the command minus the prompt (we are root here, or the test is skipped). */
function recordingRunner(calls: { file: string; args: string[] }[]): ElevationRunner {
  return (file, args) => {
    calls.push({ file, args });
    const [bin, ...rest] = args;
    return new Promise((resolve) =>
      execFile(bin as string, rest, (err, _out, stderr) =>
        resolve({ code: err ? 1 : 0, cancelled: false, stderr: String(stderr) }),
      ),
    );
  };
}

const isRoot = process.getuid?.() === 0;

describe('elevation', () => {
  it.skipIf(!isRoot)('runs exactly `pkexec <kill> -s TERM -- <pid>` and reports elevated-ok', async () => {
    const child = await spawnNode(listenerScript(0));
    const calls: { file: string; args: string[] }[] = [];
    const killer = createKiller({ graceMs: 600, elevationRunner: recordingRunner(calls) });
    const res = await killer.kill({
      target: await identityOf(child.pid),
      force: false,
      tree: false,
      elevate: true,
    });
    expect(calls).toEqual([
      { file: 'pkexec', args: [LINUX_KILL_BIN, '-s', 'TERM', '--', String(child.pid)] },
    ]);
    expect(res.outcome).toBe('elevated-ok');
    expect(res.signals).toEqual([{ pid: child.pid, signal: 'SIGTERM (elevated)' }]);
    expect((await child.exited).signal).toBe('SIGTERM');
  });

  it('a dismissed prompt is elevation-cancelled and the child lives', async () => {
    const child = await spawnNode(listenerScript(0));
    const calls: string[][] = [];
    const runner: ElevationRunner = async (file, args) => {
      calls.push([file, ...args]);
      return {
        code: 126,
        cancelled: true,
        stderr: 'Error executing command as another user: Request dismissed',
      };
    };
    const res = await createKiller({ graceMs: 300, elevationRunner: runner }).kill({
      target: await identityOf(child.pid),
      force: true,
      tree: false,
      elevate: true,
    });
    expect(calls).toEqual([['pkexec', LINUX_KILL_BIN, '-s', 'KILL', '--', String(child.pid)]]);
    expect(res.outcome).toBe('elevation-cancelled');
    expect(res.canElevate).toBe(true);
    expect(alive(child.pid)).toBe(true);
  });

  it('never prompts for a refused or changed target', async () => {
    const child = await spawnNode(listenerScript(0));
    let prompted = 0;
    const runner: ElevationRunner = async () => {
      prompted++;
      return { code: 0, cancelled: false, stderr: '' };
    };
    const killer = createKiller({ graceMs: 300, elevationRunner: runner });
    const real = await identityOf(child.pid);
    expect(
      (await killer.kill({ target: { pid: 1, startId: '1' }, force: true, tree: false, elevate: true }))
        .outcome,
    ).toBe('refused');
    const changed = await killer.kill({
      target: { ...real, startId: `${real.startId}9` },
      force: true,
      tree: false,
      elevate: true,
    });
    expect(changed.outcome).toBe('changed');
    expect(prompted).toBe(0);
    expect(alive(child.pid)).toBe(true);
  });

  const hasPkexec = (process.env.PATH ?? '').split(':').some((d) => existsSync(`${d}/pkexec`));
  it.skipIf(hasPkexec)(
    'without pkexec installed, says so instead of pretending (the default runner)',
    async () => {
      const child = await spawnNode(listenerScript(0));
      const res = await createKiller({ graceMs: 300 }).kill({
        target: await identityOf(child.pid),
        force: false,
        tree: false,
        elevate: true,
      });
      expect(res.outcome).toBe('permission-denied');
      expect(res.message).toBe('Could not ask for administrator rights: pkexec is not installed.');
      expect(res.canElevate).toBe(false);
      expect(alive(child.pid)).toBe(true);
    },
  );

  it('reads a dismissed prompt from each platform', () => {
    expect(wasCancelled('linux', 126, '')).toBe(true);
    expect(wasCancelled('linux', 127, '')).toBe(true);
    expect(wasCancelled('linux', 1, 'kill: (123): No such process')).toBe(false);
    expect(wasCancelled('darwin', 1, 'execution error: User canceled. (-128)')).toBe(true);
    expect(wasCancelled('win32', 1, 'The operation was canceled by the user.')).toBe(true);
  });

  it('builds the macOS and Windows commands from digits only', () => {
    expect(elevationCommand('darwin', 'TERM', [123, 456])).toEqual({
      file: '/usr/bin/osascript',
      args: ['-e', 'do shell script "/bin/kill -TERM 123 456" with administrator privileges'],
    });
    const win = elevationCommand('win32', 'KILL', [4242]);
    expect(win.file).toBe('powershell.exe');
    expect(win.args.slice(0, 3)).toEqual(['-NoProfile', '-NonInteractive', '-Command']);
    expect(win.args[3]).toContain("-ArgumentList '/PID 4242 /F'");
    for (const bad of [Number.NaN, 1.5, -3, 0, 1, Number.MAX_VALUE, 1e21]) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        expect(() => elevationCommand(platform, 'TERM', [bad]), `${platform} ${bad}`).toThrow();
      }
    }
  });
});

describe('permission denied (a real EPERM: the killer runs as nobody, the child as root)', () => {
  const setpriv = ['/usr/bin/setpriv', '/bin/setpriv'].find((f) => existsSync(f));
  it.skipIf(!isRoot || !setpriv)(
    'says the process belongs to another user and offers elevation',
    async () => {
      const child = await spawnNode(listenerScript(0));
      const { startId } = await identityOf(child.pid);
      const out = execFileSync(
        setpriv as string,
        [
          '--reuid=65534',
          '--regid=65534',
          '--clear-groups',
          process.execPath,
          '--import',
          'tsx',
          fileURLToPath(new URL('./eperm-probe.ts', import.meta.url)),
          String(child.pid),
          startId,
        ],
        { encoding: 'utf8', env: { ...process.env, HOME: '/tmp' } },
      );
      const res = JSON.parse(out);
      expect(res.outcome).toBe('permission-denied');
      expect(res.canElevate).toBe(true);
      expect(res.signals).toEqual([]);
      expect(res.message).toMatch(/belongs to another user \(root\)/);
      expect(alive(child.pid)).toBe(true);
    },
  );
});
