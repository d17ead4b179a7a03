import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastPidCreated } from './pid-fds';

describe.skipIf(process.platform !== 'linux')('the kernel’s last handed-out PID (real /proc)', () => {
  it('moves when a process is created', () => {
    const before = lastPidCreated('/proc');
    expect(before).toMatch(/^\d+$/);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = child.stdout.toString();
    expect(pid).toMatch(/^\d+$/);
    const after = lastPidCreated('/proc');
    expect(after).not.toBe(before);
  });

  it('vouches for the real /proc only', () => {
    expect(lastPidCreated('/tmp')).toBeNull();
  });
});
