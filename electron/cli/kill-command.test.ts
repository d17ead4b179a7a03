import { existsSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { Scope } from '../../shared/model';
import { holdsPort } from '../../shared/socket-rules';
import { createEngine } from '../core/engine/engine';
import {
  alive,
  type Child,
  cleanupChildren,
  listenerScript,
  spawnListener,
  spawnNode,
  trackPid,
} from '../core/testing/kill-children';
import { spawnPreFork } from '../core/testing/pre-fork';
import { type KillIo, parseGrace, parseKillTarget, runKill } from './kill-command';

afterEach(cleanupChildren);
const engine = createEngine();

/** In-process io against the REAL engine; stdin is a terminal that answers `answer` when given. */
function testIo(opts: { tty?: boolean; answer?: string } = {}) {
  let out = '';
  let err = '';
  const scopes: Scope[] = [];
  const stdin = Object.assign(new PassThrough(), { isTTY: opts.tty ?? false });
  if (opts.answer !== undefined) stdin.end(`${opts.answer}\n`);
  else stdin.end();
  const io: KillIo = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (err += s) },
    stdin,
    collect: (scope) => {
      scopes.push(scope);
      return engine.collect(scope);
    },
  };
  return { io, out: () => out, err: () => err, scopes };
}

describe('portscope kill <port> on a pre-fork server (master + 2 workers hold the listener)', () => {
  it('names the master and both workers, ends the tree, exits 0 and the port is free', async () => {
    const server = await spawnPreFork();
    const t = testIo();
    const code = await runKill([String(server.port), '--yes', '--grace', '2'], t.io);
    expect(t.err()).toBe('');
    expect(t.out()).toContain(
      `About to end (SIGTERM) every holder of port ${server.port}:\n  python3 (PID ${server.pid})`,
    );
    expect(t.out()).toContain('children: 2\n');
    for (const w of server.workers) expect(t.out()).toMatch(new RegExp(`\\n      ${w}  python3  `));
    expect(t.out()).toContain(
      `Port ${server.port} is free: ended python3 (PID ${server.pid}) and 2 more processes of its tree.`,
    );
    expect(code).toBe(0);
    expect((await server.exited).signal).toBe('SIGTERM');
    const { rows } = await engine.collect('listening');
    expect(rows.filter((r) => holdsPort(r, server.port))).toEqual([]);
  });

  it('pid:<master> stays a single-process kill: the workers keep the port (exit 0: the PID is gone)', async () => {
    const server = await spawnPreFork();
    const t = testIo();
    expect(await runKill([`pid:${server.pid}`, '--yes', '--grace', '2'], t.io)).toBe(0);
    expect((await server.exited).signal).toBe('SIGTERM');
    for (const w of server.workers) expect(alive(w)).toBe(true);
    const again = testIo();
    expect(await runKill([String(server.port), '--yes', '--grace', '2'], again.io)).toBe(0);
    for (const w of server.workers) expect(alive(w)).toBe(false);
  });
});

describe('portscope kill, end to end against a real listener', () => {
  it('kill <port> --yes ends the listener and exits 0', async () => {
    const child = await spawnListener();
    const port = child.ready.port as number;
    const t = testIo();
    const code = await runKill([String(port), '--yes', '--grace', '0.8'], t.io);
    expect(t.err()).toBe('');
    expect(code).toBe(0);
    expect(t.out()).toContain(`(PID ${child.pid})`);
    expect(t.out()).toContain(`ports:    ${port}/tcp`);
    expect(t.out()).toContain(`Port ${port} is free: ended node (PID ${child.pid}).`);
    expect((await child.exited).signal).toBe('SIGTERM');
  });

  it('kills only the owner of P, not the listener on P*10+1 whose digits contain P', async () => {
    let pair: { p: number; a: Child; b: Child } | null = null;
    for (let i = 0; i < 20 && !pair; i++) {
      const p = 2000 + Math.floor(Math.random() * 4500);
      const a = await spawnNode(listenerScript(p));
      const b = a.ready.error ? null : await spawnNode(listenerScript(p * 10 + 1));
      if (b && !b.ready.error) pair = { p, a, b };
      else a.proc.kill();
    }
    if (!pair) throw new Error('no free port pair');
    const t = testIo();
    expect(await runKill([String(pair.p), '--yes', '--grace', '0.8'], t.io)).toBe(0);
    expect(t.out()).toContain(`(PID ${pair.a.pid})`);
    expect(t.out()).not.toContain(`(PID ${pair.b.pid})`);
    expect((await pair.a.exited).signal).toBe('SIGTERM');
    expect(alive(pair.b.pid)).toBe(true);
  });

  it('asks on a terminal: "n" sends nothing (exit 1), "y" ends it (exit 0)', async () => {
    const child = await spawnNode(listenerScript(0));
    const port = `:${child.ready.port}`;
    const no = testIo({ tty: true, answer: 'n' });
    expect(await runKill([port, '--grace', '0.5'], no.io)).toBe(1);
    expect(no.out()).toMatch(/End it\? \[y\/N\] Nothing was sent\./);
    expect(alive(child.pid)).toBe(true);

    const yes = testIo({ tty: true, answer: 'y' });
    expect(await runKill([port, '--grace', '0.5'], yes.io)).toBe(0);
    expect((await child.exited).signal).toBe('SIGTERM');
  });

  it('refuses to act without --yes when stdin is not a terminal (exit 2), sending nothing', async () => {
    const child = await spawnNode(listenerScript(0));
    const t = testIo({ tty: false });
    expect(await runKill([String(child.ready.port)], t.io)).toBe(2);
    expect(t.err()).toBe('portscope: refusing to kill without --yes when stdin is not a terminal\n');
    expect(alive(child.pid)).toBe(true);
  });

  it('--dry-run shows the plan and sends nothing (exit 0)', async () => {
    const child = await spawnNode(listenerScript(0));
    const t = testIo();
    expect(await runKill([`pid:${child.pid}`, '--dry-run', '--tree'], t.io)).toBe(0);
    expect(t.out()).toContain(`Would end (SIGTERM):\n  node (PID ${child.pid})`);
    expect(t.out()).toContain('children: none');
    expect(t.out()).toContain('Dry run: nothing was sent.');
    expect(alive(child.pid)).toBe(true);
  });

  it('a child trapping SIGTERM: exit 1 without --force; with --force SIGKILL after the grace period, exit 0', async () => {
    const child = await spawnNode(listenerScript(0, { trapTerm: true }));
    const soft = testIo();
    expect(await runKill([`pid:${child.pid}`, '--yes', '--grace', '0.3'], soft.io)).toBe(1);
    expect(soft.out()).toContain('still running 0.3 s after SIGTERM');
    expect(soft.out()).toContain('Run again with --force');
    expect(alive(child.pid)).toBe(true);

    const hard = testIo();
    expect(await runKill([`pid:${child.pid}`, '--yes', '--force', '--grace', '0.3'], hard.io)).toBe(0);
    expect(hard.out()).toMatch(
      /still running 0\.3 s after SIGTERM[\s\S]*Sending SIGKILL\.[\s\S]*exited \(force-killed\)/,
    );
    expect((await child.exited).signal).toBe('SIGKILL');
  });

  it('--tree lists the children before asking and ends them all', async () => {
    const script = `const c = require('node:child_process').spawn('sleep', ['1000'], { stdio: 'ignore' }); console.log(JSON.stringify({ sleep: c.pid })); setInterval(() => {}, 1000);`;
    const parent = await spawnNode(script);
    const sleepPid = parent.ready.sleep as number;
    trackPid(sleepPid);
    const t = testIo();
    expect(await runKill([`pid:${parent.pid}`, '--tree', '--yes', '--grace', '0.8'], t.io)).toBe(0);
    expect(t.out()).toContain(`children: 1\n      ${sleepPid}  sleep  sleep 1000\n`);
    expect(t.out()).toContain('and its 1 descendant exited');
    expect(alive(parent.pid) || alive(sleepPid)).toBe(false);
  });

  it('nobody on the port → exit 1; pid:1 and our own PID → refused, exit 1', async () => {
    const child = await spawnNode(listenerScript(0));
    const port = child.ready.port as number;
    child.proc.kill('SIGKILL');
    await child.exited;
    const t = testIo();
    expect(await runKill([String(port), '--yes'], t.io)).toBe(1);
    expect(t.out()).toContain(`Nobody is listening on port ${port}`);
    for (const pid of [1, process.pid]) {
      const r = testIo();
      expect(await runKill([`pid:${pid}`, '--yes'], r.io)).toBe(1);
      expect(r.out()).toMatch(/refused: .+ Nothing will be sent\./);
    }
  });
});

describe('wrong usage: one line, exit 2, nothing collected or sent', () => {
  const hostile = [
    '80; touch x',
    '$(id)',
    '0x50',
    '1e3',
    ' 80',
    '65536',
    '0',
    '-1',
    'pid:0',
    'pid:-1',
    'pid:1e3',
    'pid: 5',
    'pid:5;id',
    ':',
    'pid:',
    '3000x',
  ];
  it.each(hostile)('rejects target %j', async (target) => {
    const t = testIo();
    expect(await runKill([target, '--yes'], t.io)).toBe(2);
    // '-1' reads as an option, which is just as wrong: either way one line and exit 2.
    expect(t.err()).toMatch(
      /^portscope: (invalid target '.*' \(expected .*\)|unknown option -1) \(see portscope kill --help\)\n$/,
    );
    expect(t.scopes).toEqual([]);
    expect(existsSync('x')).toBe(false);
  });

  it('rejects an unknown option, a missing target, extra words and a bad --grace', async () => {
    for (const argv of [
      ['3000', '--frobnicate'],
      [],
      ['3000', '4000'],
      ['3000', '--grace', '1e3'],
      ['3000', '--grace', '-1'],
    ]) {
      const t = testIo();
      expect(await runKill(argv, t.io), argv.join(' ')).toBe(2);
      expect(t.err().split('\n')).toHaveLength(2); // one line
      expect(t.scopes).toEqual([]);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const t = testIo();
    expect(await runKill(['--help'], t.io)).toBe(0);
    expect(t.out()).toMatch(/^Usage: portscope kill <port\|:port\|pid:<n>>/);
  });

  it('parses targets and grace strictly', () => {
    expect(parseKillTarget(':3000')).toEqual({ kind: 'port', port: 3000 });
    expect(parseKillTarget('pid:42')).toEqual({ kind: 'pid', pid: 42 });
    expect(parseKillTarget('PID:42')).toBeNull();
    expect(parseGrace('0.5')).toBe(500);
    expect(parseGrace('61')).toBeNull();
    expect(parseGrace('.5')).toBeNull();
  });
});
