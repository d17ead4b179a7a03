import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { safeText } from '../../../shared/socket-rules';
import { createEngine } from '../engine/engine';
import { createPortscope, type Portscope } from '../portscope';
import { ProcNetSource } from '../sources/proc-net/proc-net-source';
import { cleanupChildren, identityOf, listenerScript, spawnReady } from '../testing/kill-children';
import { nextPolls, until } from '../testing/polls';
import { closeAll, openTcp, portOf } from '../testing/sockets';
import { loadMetrics, type Metrics, type MetricsOptions } from './metrics-plugin';
import { EXPORTED_METRICS } from './names';
import { parseScrape, type Sample, series } from './testing/scrape';

/** The exporter on the real composition root: real engine, real listeners, real kills. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  cleanupChildren();
});

async function build(
  options: MetricsOptions = {},
  engine?: Parameters<typeof createPortscope>[0]['engine'],
): Promise<{ portscope: Portscope; metrics: Metrics }> {
  const metrics = await loadMetrics(options);
  const portscope = await createPortscope({
    intervalMs: 100,
    idleIntervalMs: 100,
    protectedPids: () => [process.pid],
    plugins: [metrics.plugin],
    ...(engine ? { engine } : {}),
  });
  portscope.start();
  cleanups.push(() => portscope.stop());
  return { portscope, metrics };
}

async function scrape(portscope: Portscope, metrics: Metrics, polls = 1): Promise<Sample[]> {
  await nextPolls(portscope.monitor, polls);
  const { contentType, body } = await metrics.render();
  expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(body);
}

/**
 * Scrape after each poll until `done` holds (at most `polls` polls): a loaded machine may need a
 * poll more than a quiet one before the engine has read a new socket's process.
 */
async function scrapeUntil(
  portscope: Portscope,
  metrics: Metrics,
  done: (samples: Sample[]) => boolean,
  polls = 20,
): Promise<Sample[]> {
  let samples: Sample[] = [];
  for (let i = 0; i < polls; i++) {
    samples = await scrape(portscope, metrics);
    if (done(samples)) break;
  }
  return samples;
}

const SECRET = 'hunter2-do-not-export';

describe('metrics exporter', () => {
  it('exports the real listener, never its command line, PID or a remote endpoint', async () => {
    const child = await spawnReady(process.execPath, ['-e', listenerScript(0), '--', `--password=${SECRET}`]);
    const port = child.ready.port as number;
    // A real connection to it: the child then holds a socket whose remote end is our client.
    const client: Socket = connect(port, '127.0.0.1');
    await new Promise((r) => client.once('connect', r));
    cleanups.push(() => void client.destroy());
    const ephemeral = String(client.localPort);

    const { portscope, metrics } = await build({ scope: 'all' });
    const listed = (x: Sample[]) =>
      series(x, 'portscope_listening', { port: String(port), process: 'node' }).length > 0 &&
      series(x, 'portscope_sockets', { proto: 'tcp', state: 'ESTABLISHED' }).length > 0;
    const samples = await scrapeUntil(portscope, metrics, listed);
    const body = (await metrics.render()).body;

    const mine = series(samples, 'portscope_listening', { port: String(port) });
    expect(mine).toEqual([
      {
        name: 'portscope_listening',
        labels: {
          proto: 'tcp',
          address: '127.0.0.1',
          port: String(port),
          process: 'node',
          user: expect.any(String),
          container: '',
        },
        value: 1,
      },
    ]);
    // All sockets were counted: the connection shows as ESTABLISHED.
    expect(
      series(samples, 'portscope_sockets', { proto: 'tcp', state: 'ESTABLISHED' })[0]?.value,
    ).toBeGreaterThanOrEqual(2);

    expect(body).not.toContain(SECRET);
    expect(body).not.toContain('--password');
    const declared = new Map(EXPORTED_METRICS.map((m) => [m.name, new Set<string>(m.labels)]));
    for (const s of samples) {
      const base = s.name.replace(/_(bucket|sum|count)$/, '');
      const allowed = declared.get(s.name) ?? declared.get(base);
      expect(allowed, s.name).toBeDefined();
      for (const [name, value] of Object.entries(s.labels)) {
        if (name !== 'le') expect(allowed?.has(name), `${s.name} label ${name}`).toBe(true);
        // No PID, no peer port, anywhere (a port label may only name a listener's own port).
        if (name !== 'port' && name !== 'le') expect(value).not.toBe(String(child.pid));
        expect(value).not.toBe(ephemeral);
        expect(value).not.toContain(`:${ephemeral}`);
      }
    }
    expect(samples.some((s) => /pid|command|remote|peer/i.test(Object.keys(s.labels).join(',')))).toBe(false);

    // Closed: the next poll's scrape no longer has it.
    child.proc.kill('SIGKILL');
    await child.exited;
    const after = await scrapeUntil(
      portscope,
      metrics,
      (x) => series(x, 'portscope_listening', { port: String(port) }).length === 0,
    );
    expect(series(after, 'portscope_listening', { port: String(port) })).toEqual([]);
  });

  it('sanitises a hostile process name into the label', async () => {
    const name = 'ev\u001b[31mil\u202e\u0007';
    const script = `
import socket, json
open('/proc/self/comm', 'w').write(${JSON.stringify(name)})
s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen()
print(json.dumps({'port': s.getsockname()[1]}), flush=True)
import signal; signal.pause()
`;
    const child = await spawnReady('/usr/bin/python3', ['-c', script]);
    const port = String(child.ready.port);
    const { portscope, metrics } = await build();
    const mine = (x: Sample[]) => series(x, 'portscope_listening', { port });
    const [row] = mine(
      await scrapeUntil(portscope, metrics, (x) => mine(x)[0]?.labels.process !== '' && mine(x).length > 0),
    );
    expect(row?.labels.process).toBe(safeText(name));
    expect([...(row?.labels.process ?? '')].some((c) => c.charCodeAt(0) < 0x20 || c === '\u202e')).toBe(
      false,
    );
  });

  it('reports watched ports up and down, and the poll duration', async () => {
    const server = await openTcp('127.0.0.1');
    const up = portOf(server);
    const probe = await openTcp('127.0.0.1');
    const down = portOf(probe);
    await closeAll([probe]);
    cleanups.push(() => closeAll([server]));
    const { portscope, metrics } = await build({ watch: [up, down] });
    const samples = await scrapeUntil(
      portscope,
      metrics,
      (x) => (series(x, 'portscope_poll_duration_seconds_count')[0]?.value ?? 0) >= 2,
    );
    expect(series(samples, 'portscope_watched_port_up', { port: String(up) })[0]?.value).toBe(1);
    expect(series(samples, 'portscope_watched_port_up', { port: String(down) })[0]?.value).toBe(0);
    const count = series(samples, 'portscope_poll_duration_seconds_count', { scope: 'listening' })[0];
    expect(count?.value).toBeGreaterThanOrEqual(2);
    const last = series(samples, 'portscope_last_poll_timestamp_seconds')[0]?.value ?? 0;
    expect(Math.abs(last - Date.now() / 1000)).toBeLessThan(60);
  });

  it('counts a kill performed through a client of the core', async () => {
    const child = await spawnReady(process.execPath, ['-e', listenerScript(0)]);
    const { portscope, metrics } = await build();
    await nextPolls(portscope.monitor, 1);
    const client = portscope.core.connect(() => {});
    cleanups.push(() => client.close());
    const target = await identityOf(child.pid);
    // Only what the monitor has shown may be killed: wait (bounded) until a poll has seen it.
    await until(() => portscope.monitor.hasSeen(target), 20_000, 'the monitor to see the child');
    const result = (await client.invoke('kill:run', {
      target,
      force: false,
      tree: false,
      elevate: false,
    })) as {
      outcome: string;
    };
    const samples = parseScrape((await metrics.render()).body);
    expect(series(samples, 'portscope_kills_total', { outcome: result.outcome })[0]?.value).toBe(1);
    expect(['exited', 'port-released']).toContain(result.outcome);
  });

  it('reports a failing source by source and kind', async () => {
    const engine = createEngine({ sources: [new ProcNetSource('/nonexistent-proc')], holders: null });
    const { portscope, metrics } = await build({}, engine);
    const samples = await scrape(portscope, metrics);
    const errors = series(samples, 'portscope_source_errors', { source: 'proc-net' });
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.every((e) => ['missing', 'failed', 'permission', 'timeout'].includes(e.labels.kind ?? '')),
    ).toBe(true);
  });

  it('reports no watched port before the first poll (no false "down")', async () => {
    const metrics = await loadMetrics({ watch: [1] });
    const samples = parseScrape((await metrics.render()).body);
    expect(series(samples, 'portscope_watched_port_up')).toEqual([]);
  });
});
