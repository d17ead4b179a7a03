import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseStatPpid, parseStatStartId, readStartId } from './proc-identity';

describe('proc identity', () => {
  it('parses field 22 even when the process name holds spaces and parentheses', () => {
    const stat =
      '4242 (my (evil) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 200';
    expect(parseStatStartId(stat)).toBe('987654');
    expect(parseStatPpid(stat)).toBe(1);
    expect(parseStatStartId('garbage')).toBeNull();
  });

  it.runIf(process.platform === 'linux')(
    'reads a stable start id for a live child, and none once it is gone',
    async () => {
      const child = spawn(process.execPath, ['-e', 'setTimeout(()=>{}, 10000)']);
      const pid = child.pid as number;
      const a = await readStartId(pid);
      const b = await readStartId(pid);
      expect(a).toMatch(/^\d+$/);
      expect(b).toBe(a);
      expect(a).not.toBe(await readStartId(process.pid));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await readStartId(pid)).toBeNull();
    },
  );
});
