import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InodeOwners } from './inode-owners';

/** A /proc-shaped tree: <root>/<pid>/fd/<n> → "socket:[inode]", as the kernel presents it. */
function fakeProc(): { root: string; hold(pid: number, inode: number): void; exit(pid: number): void } {
  const root = mkdtempSync(join(tmpdir(), 'portscope-proc-'));
  return {
    root,
    hold(pid, inode) {
      mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
      symlinkSync(`socket:[${inode}]`, join(root, String(pid), 'fd', String(inode)));
    },
    exit(pid) {
      rmSync(join(root, String(pid)), { recursive: true, force: true });
    },
  };
}

describe('inode owners when an owner exits', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("marks the dead owner's socket as closing for one poll, then as ownerless", async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.hold(100, 5);
    proc.hold(200, 6);
    const owners = new InodeOwners(root);
    expect((await owners.resolve([5, 6])).get(5)).toEqual([100]);

    proc.exit(100);
    const afterExit = await owners.resolve([5, 6]);
    expect(afterExit.get(5)).toEqual([]);
    expect(owners.closingWithOwner(5)).toBe(true);
    expect(owners.closingWithOwner(6)).toBe(false);

    // Still there a poll later: it really outlived its owner, so it is shown (as not visible).
    await owners.resolve([5, 6]);
    expect(owners.closingWithOwner(5)).toBe(false);
  });

  it('follows a socket handed on to another process instead of calling it closing', async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.hold(100, 7);
    const owners = new InodeOwners(root);
    await owners.resolve([7]);
    proc.hold(300, 7);
    proc.exit(100);
    expect((await owners.resolve([7])).get(7)).toEqual([300]);
    expect(owners.closingWithOwner(7)).toBe(false);
  });
});

describe('inode owners under a time-out', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('stops a scan when the poll is aborted, and marks nothing unresolvable because of it', async () => {
    const proc = fakeProc();
    root = proc.root;
    // Enough processes for the walk to pass its checkpoints; the wanted socket is held by the oldest.
    for (let pid = 1000; pid < 1300; pid++) proc.hold(pid, pid);
    const owners = new InodeOwners(root);
    const ac = new AbortController();
    const walking = owners.resolve([1000], ac.signal);
    ac.abort(new Error('timeout'));
    await expect(walking).rejects.toThrow('timeout');
    // The next poll still finds the owner (an unfinished walk proves nothing about inode 1000).
    expect((await owners.resolve([1000])).get(1000)).toEqual([1000]);
  });
});
