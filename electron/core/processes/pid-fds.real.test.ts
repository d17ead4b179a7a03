import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastPidCreated, lastPidOf } from './pid-fds';

describe.skipIf(process.platform !== 'linux')('the kernel’s last handed-out PID (real /proc)', () => {
  it('moves whenever a process is created', () => {
    const before = lastPidCreated('/proc');
    expect(before).toMatch(/^[1-9]\d*$/);
    const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    expect(child.stdout.toString()).toMatch(/^\d+$/);
    const after = lastPidCreated('/proc');
    expect(after).toMatch(/^[1-9]\d*$/);
    expect(after).not.toBe(before);
  });

  it('vouches for the real /proc only', () => {
    expect(lastPidCreated('/tmp')).toBeNull();
  });
});

describe('the last PID in /proc/loadavg text', () => {
  it('is the last field when it is a PID', () => {
    expect(lastPidOf('0.52 0.58 0.59 3/141 21218\n')).toBe('21218');
    expect(lastPidOf('1.00 0.50 0.25 1/1 1')).toBe('1');
  });

  it('is null for what is not a PID: gVisor’s constant 0 would freeze the stamp', () => {
    expect(lastPidOf('0.00 0.00 0.00 0/0 0\n')).toBeNull();
    expect(lastPidOf('')).toBeNull();
    expect(lastPidOf('0.52 0.58 0.59 3/141 x12')).toBeNull();
    expect(lastPidOf('0.52 0.58 0.59 3/141 -5')).toBeNull();
  });
});
