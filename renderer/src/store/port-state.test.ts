import { describe, expect, it } from 'vitest';
import { ChangeLog } from './port-state';

describe('ChangeLog', () => {
  it('answers the keys changed between two versions, or null when it cannot or should not', () => {
    const log = new ChangeLog(3);
    log.add(1, ['a']);
    log.add(2, ['b', 'c']);
    log.add(3, ['a', 'd']);
    expect([...(log.since(1, 3) ?? [])].sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(log.since(2, 2)?.size).toBe(0);
    // Past the limit (a snapshot's worth of keys) the caller re-sorts in full instead.
    expect(log.since(1, 3, 3)).toBeNull();
    expect(log.since(1, 3, 4)?.size).toBe(4);
    log.add(4, ['e']);
    // Version 1 → 2 fell out of the log: unknown, not "nothing changed".
    expect(log.since(0, 4)).toBeNull();
  });
});
