import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InodeOwners } from './inode-owners';

/** A /proc-shaped tree: <root>/<pid>/fd/<n> → "socket:[inode]", as the kernel presents it. */
function fakeProc(): {
  root: string;
  hold(pid: number, inode: number): void;
  exit(pid: number): void;
  parent(pid: number, ppid: number): void;
} {
  const root = mkdtempSync(join(tmpdir(), 'portscope-proc-'));
  return {
    root,
    parent(pid, ppid) {
      mkdirSync(join(root, String(pid)), { recursive: true });
      writeFileSync(join(root, String(pid), 'stat'), `${pid} (srv) S ${ppid} ${pid} ${pid} 0 -1 0`);
    },
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

describe('where a walk for a new socket looks first', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('the process that held the last new sockets, when a close and an open kept its fd count', async () => {
    const proc = fakeProc();
    root = proc.root;
    // A busy server with a higher PID (PIDs wrap: "newest first" by number starts with it) and a
    // small client that keeps replacing one connection (a page reconnecting its WebSocket).
    for (let i = 0; i < 50; i++) proc.hold(900, 1000 + i);
    proc.hold(100, 10);
    const owners = new InodeOwners(root);
    await owners.resolve([10, 1000]);
    proc.hold(100, 11); // a new socket: the client's fd count moved, it is read first
    expect((await owners.resolve([10, 11, 1000])).get(11)).toEqual([100]);
    // Close 11, open 12: the same count; the walk starts with the last new sockets' holder.
    rmSync(join(root, '100', 'fd', '11'));
    proc.hold(100, 12);
    // The walk's order (PIDs newest first, as the walk gets them): the client comes first.
    const order = (owners as unknown as { likelyFirst(alive: number[]): number[] }).likelyFirst([900, 100]);
    expect(order).toEqual([100, 900]);
    expect((await owners.resolve([10, 12, 1000])).get(12)).toEqual([100]);
    // Still every holder: a socket the recent holder does not have is found by the rest of the walk.
    proc.hold(900, 2000);
    expect((await owners.resolve([10, 12, 1000, 2000])).get(2000)).toEqual([900]);
  });
});

describe('every holder of an inode', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('lists the parent first, then its children by PID, whatever the PID order', async () => {
    const proc = fakeProc();
    root = proc.root;
    // PIDs wrapped: the master got a higher PID than its workers.
    proc.parent(900, 1);
    proc.parent(120, 900);
    proc.parent(80, 900);
    for (const pid of [900, 120, 80]) proc.hold(pid, 42);
    proc.hold(300, 43);
    const owners = new InodeOwners(root);
    const held = await owners.resolve([42, 43]);
    expect(held.get(42)).toEqual([900, 80, 120]);
    expect(held.get(43)).toEqual([300]);
  });

  it('adds a worker forked after the map was built, without a walk', async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.parent(500, 1);
    proc.hold(500, 9);
    const owners = new InodeOwners(root);
    await owners.resolve([9]);
    const scans = owners.scans;
    proc.parent(501, 500);
    proc.hold(501, 9);
    expect((await owners.resolve([9])).get(9)).toEqual([500, 501]);
    expect(owners.scans).toBe(scans);
  });
});

describe('a master that binds after it was first read', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds the master whose reused fd number now is the listener, and its workers', async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.parent(700, 1);
    // Starting up: fd 3 is a source file it reads (python does), not a socket yet.
    mkdirSync(join(root, '700', 'fd'), { recursive: true });
    symlinkSync('/usr/lib/python3/os.py', join(root, '700', 'fd', '3'));
    const owners = new InodeOwners(root);
    await owners.resolve([]);
    // It closes the file, binds on fd 3, and forks two workers that inherit it.
    rmSync(join(root, '700', 'fd', '3'));
    symlinkSync('socket:[77]', join(root, '700', 'fd', '3'));
    for (const pid of [701, 702]) {
      proc.parent(pid, 700);
      mkdirSync(join(root, String(pid), 'fd'), { recursive: true });
      symlinkSync('socket:[77]', join(root, String(pid), 'fd', '3'));
    }
    expect((await owners.resolve([77])).get(77)).toEqual([700, 701, 702]);
  });

  it('finds the master of a worker forked right after the bind', async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.parent(800, 1);
    proc.hold(800, 1); // some other socket, so the master is known and counted
    const owners = new InodeOwners(root);
    await owners.resolve([1]);
    // Master binds (a new fd) and forks one worker before the next poll: the worker is new, and
    // the master, known but holding nothing in the table, must be looked at again.
    proc.hold(800, 88);
    proc.parent(801, 800);
    proc.hold(801, 88);
    expect((await owners.resolve([1, 88])).get(88)).toEqual([800, 801]);
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

describe('an idle recheck while no process was created', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('does not list /proc, still sees a holder exit, and lists again once a process was created', async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.hold(100, 5);
    proc.hold(200, 5);
    let stamp = '1';
    const owners = new InodeOwners(root, () => stamp);
    expect((await owners.resolve([5])).get(5)).toEqual([100, 200]);
    const listed = owners.listings;

    expect(owners.recheck()).toBe(false);
    expect(owners.listings).toBe(listed);

    // A holder exits: its fd table is gone, which the holder check sees without a listing.
    proc.exit(200);
    expect(owners.recheck()).toBe(true);
    expect(owners.listings).toBe(listed);
    expect((await owners.resolve([5])).get(5)).toEqual([100]);

    // A new process (a forked worker) moves the kernel's last PID: the recheck lists and finds it.
    proc.hold(300, 5);
    stamp = '2';
    expect(owners.recheck()).toBe(true);
    expect(owners.listings).toBeGreaterThan(listed + 1);
    expect((await owners.resolve([5])).get(5)).toEqual([100, 300]);
  });
});

describe('the round-robin safety net', () => {
  let root = '';
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('finds a socket handed into an fd slot closed in the same poll (the fd count stayed)', async () => {
    const proc = fakeProc();
    root = proc.root;
    proc.hold(100, 5);
    mkdirSync(join(root, '100', 'fd'), { recursive: true });
    symlinkSync('/dev/null', join(root, '100', 'fd', '3'));
    proc.hold(300, 7);
    const owners = new InodeOwners(root, () => '1');
    expect((await owners.resolve([5, 7])).get(7)).toEqual([300]);
    expect(owners.recheck()).toBe(false);

    // fd 3 of 100 now is socket 7 (received over a unix socket after closing /dev/null).
    rmSync(join(root, '100', 'fd', '3'));
    symlinkSync('socket:[7]', join(root, '100', 'fd', '3'));
    let found = false;
    for (let poll = 0; poll < 3 && !found; poll++) found = owners.recheck();
    expect(found).toBe(true);
    expect((await owners.resolve([5, 7])).get(7)).toEqual([100, 300]);
  });
});
