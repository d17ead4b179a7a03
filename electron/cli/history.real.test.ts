import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryEvent, HistoryResult } from '../../shared/history';
import { historyDir } from '../core/history/history-dir';
import { readHistory } from '../core/history/history-reader';
import { createPortscope } from '../core/portscope';
import { type Listener, spawnListener } from '../core/testing/children';
import { nextPolls } from '../core/testing/polls';

/**
 * The history end to end: a real Portscope records a real listener opening and closing, and the
 * real CLI bundle (`portscope history`, `portscope kill`) reads and adds to the same folder, found
 * the way users find it (XDG_DATA_HOME), as separate processes.
 */

const ROOT = join(__dirname, '..', '..');
const CACHE = join(ROOT, 'node_modules', '.cache');
mkdirSync(CACHE, { recursive: true });
const OUT = mkdtempSync(join(CACHE, 'portscope-history-test-'));
const BUNDLE = join(OUT, 'index.cjs');
const XDG = mkdtempSync(join(CACHE, 'portscope-history-data-'));
const DIR = historyDir({ XDG_DATA_HOME: XDG }, 'linux');
const children: Listener[] = [];

function cli(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUNDLE, ...args],
      { timeout: 30_000, env: { ...process.env, XDG_DATA_HOME: XDG } },
      (error, out, err) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, out, err });
      },
    );
  });
}

beforeAll(() => {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const args = [
    'build',
    '-c',
    'vite.cli.config.mts',
    '--outDir',
    OUT,
    '--emptyOutDir',
    '--logLevel',
    'error',
  ];
  const r = spawnSync(vite, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CLI build failed:\n${r.stdout}\n${r.stderr}`);
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill();
  rmSync(OUT, { recursive: true, force: true });
  rmSync(XDG, { recursive: true, force: true });
});

/** Poll the monitor until the recorder wrote an event that `match` accepts. */
async function recorded(
  monitor: Parameters<typeof nextPolls>[0],
  flush: () => Promise<void>,
  match: (e: HistoryEvent) => boolean,
): Promise<HistoryEvent> {
  for (let i = 0; i < 40; i++) {
    await nextPolls(monitor);
    await flush();
    const hit = (await readHistory(DIR)).events.find(match);
    if (hit) return hit;
  }
  throw new Error('the recorder never wrote the expected event');
}

describe('portscope history (real recorder, real CLI)', () => {
  it('records a listener that opened and closed; the CLI shows both with its PID', async () => {
    const ps = await createPortscope({
      protectedPids: () => [process.pid],
      intervalMs: 250,
      idleIntervalMs: 250,
      history: { dir: DIR },
    });
    const recorder = ps.history;
    if (!recorder) throw new Error('no recorder');
    ps.start();
    const l = await spawnListener({ name: 'ps-histtest' });
    children.push(l);
    const isMine = (kind: string) => (e: HistoryEvent) =>
      e.kind === kind && 'port' in e && e.port === l.port && e.process?.pid === l.pid;
    await recorded(ps.monitor, recorder.flush, isMine('open'));
    l.kill();
    await l.exited;
    await recorded(ps.monitor, recorder.flush, isMine('close'));
    ps.stop();
    await recorder.flush();

    const json = await cli('history', String(l.port), '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.out) as HistoryResult & { events: HistoryEvent[] };
    const kinds = out.events.filter((e) => 'port' in e && e.port === l.port).map((e) => e.kind);
    expect(kinds).toEqual(['open', 'close']);
    for (const e of out.events) if ('process' in e) expect(e.process?.pid).toBe(l.pid);
    expect(out.ports).toHaveLength(1);
    expect(out.ports[0]?.spans[0]).toMatchObject({ fromKind: 'opened', toKind: 'closed' });
    expect(out.ports[0]?.spans[0]?.process).toMatchObject({ pid: l.pid, name: 'ps-histtest' });

    const text = await cli('history', `:${l.port}`);
    expect(text.code).toBe(0);
    expect(text.out).toMatch(
      new RegExp(
        `^${l.port}/tcp\\s+ps-histtest \\(PID ${l.pid}\\)\\s+\\d\\d:\\d\\d → \\d\\d:\\d\\d\\s+closed`,
        'm',
      ),
    );
    // A filter instead of a port finds it too; another process name does not.
    expect((await cli('history', 'proc:ps-histtest')).out).toContain(`PID ${l.pid}`);
    expect((await cli('history', 'proc:no-such-proc')).code).toBe(1);
  }, 60_000);

  it('records a kill through the CLI as a kill event from the CLI, aimed at the right PID', async () => {
    const l = await spawnListener({ name: 'ps-histkill' });
    children.push(l);
    const killed = await cli('kill', String(l.port), '--yes');
    expect(killed.code).toBe(0);
    const json = await cli('history', String(l.port), '--json');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.out) as HistoryResult & { events: HistoryEvent[] };
    const kills = out.events.filter((e) => e.kind === 'kill');
    expect(kills).toHaveLength(1);
    expect(kills[0]).toMatchObject({ by: 'cli', action: 'free-port', ports: [l.port], outcome: 'port-free' });
    const k = kills[0] as Extract<HistoryEvent, { kind: 'kill' }>;
    expect(k.targets.map((t) => t.pid)).toContain(l.pid);
    expect(k.targets.find((t) => t.pid === l.pid)?.name).toBe('ps-histkill');
    expect(k.signals).toContainEqual({ pid: l.pid, signal: 'SIGTERM' });
    expect((await cli('history', String(l.port))).out).toMatch(/free port \d+ from cli: ps-histkill/);
  }, 60_000);

  it('rejects bad times and says when nothing was recorded', async () => {
    expect((await cli('history', '--since', '2x')).code).toBe(2);
    expect((await cli('history', '--from', 'yesterday')).code).toBe(2);
    const none = await cli('history', '1', '--since', '1h');
    expect(none.code).toBe(1);
    expect(none.out).toMatch(/Nothing recorded for port 1/);
  }, 60_000);
});
