import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { lastPidCreated, trustOnceMoved } from './pid-fds';

describe.skipIf(process.platform !== 'linux')('the kernel’s last handed-out PID (real /proc)', () => {
  it('is trusted once seen to move, then moves whenever a process is created', () => {
    const spawnOne = () => {
      const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      const pid = child.stdout.toString();
      expect(pid).toMatch(/^\d+$/);
    };
    // The first read only records the value: a field that never moves is never trusted.
    lastPidCreated('/proc');
    spawnOne();
    const before = lastPidCreated('/proc');
    expect(before).toMatch(/^[1-9]\d*$/);
    spawnOne();
    const after = lastPidCreated('/proc');
    expect(after).toMatch(/^[1-9]\d*$/);
    expect(after).not.toBe(before);
  });

  it('vouches for the real /proc only', () => {
    expect(lastPidCreated('/tmp')).toBeNull();
  });
});

describe('a PID stamp is trusted only once it has moved', () => {
  it('never trusts a frozen field (gVisor prints 0; a lagging copy repeats itself)', () => {
    const frozen = trustOnceMoved();
    for (let i = 0; i < 5; i++) expect(frozen('0')).toBeNull();
    const stuck = trustOnceMoved();
    for (let i = 0; i < 5; i++) expect(stuck('4242')).toBeNull();
  });

  it('trusts every value after the first move, including a repeat (an idle poll)', () => {
    const live = trustOnceMoved();
    expect(live('100')).toBeNull();
    expect(live('100')).toBeNull();
    expect(live('101')).toBe('101');
    expect(live('101')).toBe('101');
    expect(live('7')).toBe('7'); // PIDs wrap
    expect(live('')).toBeNull();
    expect(live('x1')).toBeNull();
  });
});
