import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseSs, type SsSocket, socketId } from './testing/ss-rows';

/**
 * The oracle: in a private network namespace, real servers of every shape that broke before
 * (pre-fork, SO_REUSEPORT, per-device binds, v6only and dual-stack, TIME_WAIT only, a hand-off),
 * and `portscope list --all --json` compared with `ss -tuanpeH` taken right before and after it:
 * the same sockets, states, devices and set of PIDs per socket.
 */

const HARNESS = join(__dirname, 'testing', 'oracle-harness.ts');
const SETUP = 'ip link set lo up && (ip link add d0 type dummy 2>/dev/null || ip link add d0 type bridge)';

function unshareRefused(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  const r = spawnSync('unshare', ['-n', 'true'], { encoding: 'utf8' });
  if (r.error) return `unshare: ${r.error.message}`;
  return r.status === 0 ? null : `unshare -n refused: ${r.stderr.trim()}`;
}
const refused = unshareRefused();

interface Run {
  code: number | null;
  out: string;
  err: string;
}
interface JsonRow {
  protocol: string;
  state: string;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
  inode: number | null;
  device: string | null;
  v6only: boolean | null;
  holder: string;
  owners: { pid: number }[];
  pid: number | null;
}
interface Report {
  http: { pid: number; port: number };
  servers: Record<string, { pid: number; port: number; workers: number[]; dualPort?: number }>;
  before: Run;
  list: Run;
  after: Run;
  who: Record<string, Run>;
}

let report: Report;
let rows: JsonRow[] = [];

const pidsOf = (r: JsonRow) => r.owners.map((o) => o.pid);
const sorted = (a: number[]) => [...a].sort((x, y) => x - y);
const on = (port: number) => rows.filter((r) => r.localPort === port);

describe.skipIf(refused !== null)(
  `oracle against ss in a private netns${refused ? ` (skipped: ${refused})` : ''}`,
  () => {
    beforeAll(async () => {
      const out = await new Promise<string>((resolve, reject) => {
        execFile(
          'unshare',
          ['-n', 'sh', '-c', `${SETUP} && exec "$0" --import tsx "$1"`, process.execPath, HARNESS],
          { timeout: 150_000, maxBuffer: 64 << 20 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      report = JSON.parse(out) as Report;
      expect(report.list.code, report.list.err).toBe(0);
      rows = JSON.parse(report.list.out) as JsonRow[];
    }, 160_000);

    it('lists the same sockets as ss, with the same states and the same set of PIDs per socket', () => {
      const before = new Map(parseSs(report.before.out).map((s) => [socketId(s), s]));
      const after = new Map(parseSs(report.after.out).map((s) => [socketId(s), s]));
      const same = (a: SsSocket, b: SsSocket) => a.state === b.state && a.pids.join() === b.pids.join();
      const stable = [...before].filter(([id, s]) => after.has(id) && same(s, after.get(id) as SsSocket));
      expect(stable.length).toBeGreaterThanOrEqual(13);
      const mine = new Map(rows.map((r) => [socketId(r), r]));
      // Sources that know devices and v6only (netlink) must agree with ss; /proc/net knows neither.
      const knowsKernelFields = rows.some((r) => r.device !== null || r.v6only !== null);
      const diffs: string[] = [];
      for (const [id, s] of stable) {
        const r = mine.get(id);
        if (!r) {
          diffs.push(`missing ${id} (${s.state} ${s.localAddress}:${s.localPort})`);
          continue;
        }
        if (r.state !== s.state) diffs.push(`${id}: state ${r.state}, ss ${s.state}`);
        if (sorted(pidsOf(r)).join() !== s.pids.join()) diffs.push(`${id}: pids ${pidsOf(r)}, ss ${s.pids}`);
        if (knowsKernelFields ? r.device !== s.device : r.device !== null)
          diffs.push(`${id}: device ${r.device}, ss ${s.device}`);
        if (knowsKernelFields ? r.v6only !== s.v6only : r.v6only !== null)
          diffs.push(`${id}: v6only ${r.v6only}, ss ${s.v6only}`);
      }
      for (const id of mine.keys()) if (!before.has(id) && !after.has(id)) diffs.push(`extra ${id}`);
      expect(diffs).toEqual([]);
    });

    it('names a pre-fork master first, then its workers, and who lists all three in one block', () => {
      const pre = report.servers.prefork as Report['servers'][string];
      const listener = on(pre.port);
      expect(listener).toHaveLength(1);
      expect(pidsOf(listener[0] as JsonRow)).toEqual([pre.pid, ...sorted(pre.workers)]);
      expect(listener[0]?.pid).toBe(pre.pid);
      const who = report.who.prefork as Run;
      expect(who.code).toBe(0);
      expect(who.out).toContain(`Port ${pre.port} is held by 3 processes`);
      for (const pid of [pre.pid, ...pre.workers]) expect(who.out).toContain(`(PID ${pid})`);
    });

    it('who <port> (its own fast path) names the same holders as ss -tlnpH for that port', () => {
      const ssPids = (r: Run | undefined) =>
        sorted([...new Set([...(r?.out ?? '').matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])))]);
      const whoPids = (r: Run | undefined) => {
        const groups = JSON.parse(r?.out ?? '[]') as { owners: { pid: number }[] }[];
        return groups.flatMap((g) => g.owners.map((o) => o.pid));
      };
      const pre = report.servers.prefork as Report['servers'][string];
      expect(report.who.preforkJson?.code).toBe(0);
      const before = ssPids(report.who.ssWhoBefore);
      expect(before).toEqual(ssPids(report.who.ssWhoAfter));
      expect(before).toEqual(sorted([pre.pid, ...pre.workers]));
      // Every holder, the master first, exactly the set ss sees.
      expect(whoPids(report.who.preforkJson)).toEqual([pre.pid, ...sorted(pre.workers)]);
      // After a hand-off only the worker holds it: who names it, not the parent that closed its copy.
      const h = report.servers.handoff as Report['servers'][string];
      expect(sorted(whoPids(report.who.handoffJson))).toEqual(ssPids(report.who.ssHandoff));
      expect(whoPids(report.who.handoffJson)).toEqual(h.workers);
    });

    it('keeps SO_REUSEPORT siblings and per-device binds as separate rows', () => {
      const reuse = report.servers.reuseport as Report['servers'][string];
      expect(on(reuse.port).filter((r) => r.protocol === 'tcp')).toHaveLength(3);
      expect(on(reuse.port).filter((r) => r.protocol === 'udp')).toHaveLength(2);
      const dev = report.servers.devices as Report['servers'][string];
      expect(on(dev.port).filter((r) => r.protocol === 'udp')).toHaveLength(2);
    });

    it('shows the worker, not the parent, after a hand-off', () => {
      const h = report.servers.handoff as Report['servers'][string];
      expect(on(h.port).map(pidsOf)).toEqual([h.workers]);
    });

    it('says "no process" for a TIME_WAIT-only port, and who exits 1 on it', () => {
      const tw = report.servers.timewait as Report['servers'][string];
      const kept = on(tw.port);
      expect(kept.length).toBeGreaterThanOrEqual(1);
      for (const r of kept)
        expect(r).toMatchObject({ state: 'TIME_WAIT', holder: 'kernel', owners: [], inode: 0 });
      expect(report.who.timewait?.code).toBe(1);
      expect(report.who.timewait?.out).toContain(
        'no process (closed by its owner; the kernel keeps it for up to 60 s)',
      );
      expect(report.who.timewait?.out).not.toContain('not visible');
      expect(JSON.parse(report.who.timewaitJson?.out ?? '')).toMatchObject([
        { holder: 'kernel', owners: [] },
      ]);
    });

    it('lists python -m http.server and the v6only and dual-stack listeners with their owners', () => {
      expect(on(report.http.port).map(pidsOf)).toEqual([[report.http.pid]]);
      const v6 = report.servers.v6 as Report['servers'][string];
      expect(on(v6.port).map((r) => [r.localAddress, pidsOf(r)])).toEqual([['::', [v6.pid]]]);
      expect(on(v6.dualPort as number).map((r) => [r.localAddress, pidsOf(r)])).toEqual([['::', [v6.pid]]]);
    });
  },
);
