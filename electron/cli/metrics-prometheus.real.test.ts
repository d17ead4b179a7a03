import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupChildren, listenerScript, spawnReady } from '../core/testing/kill-children';
import { openTcp, portOf } from '../core/testing/sockets';
import type { MetricsServer } from '../web/metrics-server';
import { runMetrics } from './metrics-command';

/**
 * The proof: a real Prometheus (Debian's package) scrapes `portscope metrics`, and a query
 * through its HTTP API returns the listener this test opened, then stops returning it once it is
 * closed. Our own Prometheus instance (temporary config, data directory and loopback port), never a
 * system one the package may have started.
 */

const PROMETHEUS = ['/usr/bin/prometheus', '/usr/local/bin/prometheus'].find((p) => existsSync(p));
const root = join(__dirname, '..', '..');
const TOKEN = 'prometheus-test-token-0123456789';

interface Prom {
  proc: ChildProcess;
  port: number;
  log: () => string;
}

let dir = '';
let exporter: MetricsServer | null = null;
let stopExporter: AbortController | null = null;
let exporterDone: Promise<number> | null = null;
let prom: Prom | null = null;

function fetchJson(url: string): Promise<{ status: number; json: unknown }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => {
        let json: unknown = null;
        try {
          json = JSON.parse(body);
        } catch {
          json = body;
        }
        resolve({ status: res.statusCode ?? 0, json });
      });
    }).on('error', reject);
  });
}

interface QueryResult {
  status: string;
  error?: string;
  data: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

async function query(expr: string): Promise<QueryResult> {
  const url = `http://127.0.0.1:${prom?.port}/api/v1/query?query=${encodeURIComponent(expr)}`;
  return (await fetchJson(url)).json as QueryResult;
}

/** Wait (bounded) until a query's answer satisfies `check`; Prometheus scrapes every second. */
async function awaitQuery(
  expr: string,
  check: (r: QueryResult) => boolean,
  what: string,
): Promise<QueryResult> {
  let last: QueryResult | null = null;
  const end = Date.now() + 45_000;
  while (Date.now() < end) {
    last = await query(expr).catch(() => null);
    if (last && check(last)) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `Prometheus never showed ${what}; last answer ${JSON.stringify(last)}; log:\n${prom?.log()}`,
  );
}

async function freePort(): Promise<number> {
  const s = await openTcp('127.0.0.1');
  const port = portOf(s);
  await new Promise((r) => s.close(r));
  return port;
}

describe.skipIf(!PROMETHEUS)(
  'a real Prometheus scrapes portscope metrics (skipped: no prometheus binary; apt-get install prometheus)',
  () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'portscope-prom-'));
      const tokenFile = join(dir, 'token');
      writeFileSync(tokenFile, TOKEN);
      chmodSync(tokenFile, 0o600);

      // The exporter, with a bearer token even on loopback: Prometheus's own client must pass it.
      stopExporter = new AbortController();
      const listening = new Promise<MetricsServer>((resolve) => {
        exporterDone = runMetrics(
          ['--listen', '127.0.0.1:0', '--token-file', tokenFile, '--interval', '250'],
          {
            stdout: { write: () => true },
            stderr: { write: () => true },
            stop: stopExporter?.signal as AbortSignal,
            settingsFile: join(dir, 'settings.json'),
            onListening: resolve,
          },
        );
      });
      exporter = await listening;

      const port = await freePort();
      writeFileSync(
        join(dir, 'prometheus.yml'),
        [
          'global:',
          '  scrape_interval: 1s',
          '  evaluation_interval: 1s',
          'scrape_configs:',
          '  - job_name: portscope',
          '    authorization:',
          '      type: Bearer',
          `      credentials_file: ${join(dir, 'token')}`,
          '    static_configs:',
          `      - targets: ['127.0.0.1:${exporter.port}']`,
          '',
        ].join('\n'),
      );
      let log = '';
      const proc = spawn(
        PROMETHEUS as string,
        [
          `--config.file=${join(dir, 'prometheus.yml')}`,
          `--storage.tsdb.path=${join(dir, 'data')}`,
          `--web.listen-address=127.0.0.1:${port}`,
          '--log.level=warn',
          // Short lookback: a series gone from the target leaves instant queries within seconds.
          '--query.lookback-delta=5s',
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      proc.stdout?.on('data', (c) => {
        log += c;
      });
      proc.stderr?.on('data', (c) => {
        log += c;
      });
      prom = { proc, port, log: () => log.slice(-4000) };
      const ready = async () =>
        (await fetchJson(`http://127.0.0.1:${port}/-/ready`).catch(() => ({ status: 0 }))).status;
      const end = Date.now() + 30_000;
      while ((await ready()) !== 200) {
        if (proc.exitCode !== null) throw new Error(`prometheus exited (${proc.exitCode}):\n${log}`);
        if (Date.now() > end) throw new Error(`prometheus not ready after 30 s:\n${log}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    }, 60_000);

    afterAll(async () => {
      if (prom?.proc.exitCode === null) {
        const exited = new Promise((r) => prom?.proc.once('exit', r));
        prom.proc.kill('SIGTERM');
        await exited;
      }
      stopExporter?.abort();
      await exporterDone;
      cleanupChildren();
      if (dir) rmSync(dir, { recursive: true, force: true });
    }, 30_000);

    it('returns the listener the test opened, and stops returning it once it closed', async () => {
      const child = await spawnReady(process.execPath, ['-e', listenerScript(0)]);
      const port = String(child.ready.port);
      const expr = `portscope_listening{job="portscope",port="${port}"}`;

      const found = await awaitQuery(expr, (r) => r.data?.result.length === 1, `port ${port}`);
      const { __name__, instance, ...labels } = found.data.result[0]?.metric ?? {};
      expect(labels).toEqual({
        job: 'portscope',
        proto: 'tcp',
        address: '127.0.0.1',
        port,
        process: 'node',
        user: expect.any(String),
      });
      expect(instance).toBe(`127.0.0.1:${exporter?.port}`);
      expect(found.data.result[0]?.value[1]).toBe('1');
      const up = await query('up{job="portscope"}');
      expect(up.data.result[0]?.value[1]).toBe('1');

      child.proc.kill('SIGKILL');
      await child.exited;
      await awaitQuery(
        expr,
        (r) => r.status === 'success' && r.data.result.length === 0,
        `port ${port} gone`,
      );
    }, 90_000);

    it('answers every dashboard and alert expression (valid PromQL on real data)', async () => {
      const dash = JSON.parse(
        readFileSync(join(root, 'deploy/grafana/portscope-dashboard.json'), 'utf8'),
      ) as {
        panels: { targets?: { expr?: string }[] }[];
      };
      const alerts = readFileSync(join(root, 'deploy/prometheus/portscope-alerts.yml'), 'utf8');
      const exprs = [
        ...dash.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr ?? '')),
        // Plain YAML scalars: the text is the expression, backslashes as written.
        ...[...alerts.matchAll(/^\s+expr: (.+)$/gm)].map((m) => m[1] as string),
      ];
      // The scrapes have run: every metric the queries use has had a chance to appear.
      await awaitQuery(
        'portscope_poll_duration_seconds_count',
        (r) => r.data?.result.length > 0,
        'the poll histogram',
      );
      for (const raw of exprs) {
        const expr = raw.replaceAll('$instance', '.+');
        const r = await query(expr);
        expect([expr, r.status, r.error]).toEqual([expr, 'success', undefined]);
      }
      const listening = await query('sum(portscope_listening{job="portscope"})');
      expect(Number(listening.data.result[0]?.value[1])).toBeGreaterThan(0);
    }, 60_000);
  },
);
