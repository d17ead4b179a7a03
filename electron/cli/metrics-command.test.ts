import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTcp, portOf } from '../core/testing/sockets';
import type { MetricsServer } from '../web/metrics-server';
import { makeRendererDir } from '../web/testing/helpers';
import { runMetrics } from './metrics-command';
import { runServe } from './serve-command';

/** `portscope metrics` and `serve --metrics` in process: real engine, real listeners, real HTTP. */

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'portscope-metrics-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture() {
  let text = '';
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

function fetchText(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => {
        body += c;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function usage(argv: string[]): Promise<{ code: number; err: string }> {
  const err = capture();
  const code = await runMetrics(argv, {
    stdout: capture().stream,
    stderr: err.stream,
    settingsFile: join(dir, 's.json'),
  });
  return { code, err: err.text() };
}

describe('portscope metrics', () => {
  it('serves the listener the test opened, until stopped', async () => {
    const server = await openTcp('127.0.0.1');
    const port = portOf(server);
    const out = capture();
    const stop = new AbortController();
    let metrics: MetricsServer | null = null;
    let body = '';
    const code = runMetrics(['--listen', '127.0.0.1:0', '--interval', '250', '--watch', String(port)], {
      stdout: out.stream,
      stderr: capture().stream,
      stop: stop.signal,
      settingsFile: join(dir, 'settings.json'),
      onListening: (s) => {
        metrics = s;
        void (async () => {
          // The exporter listens once the first poll is under way; a scrape shows it when it is done.
          for (let i = 0; i < 100 && !body.includes(`port="${port}"`); i++) {
            body = (await fetchText(s.url)).body;
            if (!body.includes(`port="${port}"`)) await new Promise((r) => setTimeout(r, 50));
          }
          stop.abort();
        })();
      },
    });
    expect(await code).toBe(0);
    server.close();
    expect(out.text()).toContain(`Portscope metrics at ${(metrics as MetricsServer | null)?.url}`);
    expect(body).toMatch(
      new RegExp(`portscope_listening\\{proto="tcp",address="127.0.0.1",port="${port}",process="node",`),
    );
    expect(body).toContain(`portscope_watched_port_up{port="${port}"} 1`);
  });

  it('refuses bad usage with one line and exit 2, before listening', async () => {
    const cases: [string[], RegExp][] = [
      [['--listen', '0.0.0.0:9798'], /without --token-file/],
      [['--listen', 'example.com:9798'], /bad listen address/],
      [['--watch', '80,http'], /bad --watch/],
      [['--interval', '10'], /bad --interval/],
      [['--token-file', join(dir, 'absent')], /cannot read the token file/],
      [['extra'], /unexpected argument/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await usage(argv);
      expect([argv.join(' '), code]).toEqual([argv.join(' '), 2]);
      expect(err).toMatch(message);
      expect(err).toContain('(see portscope metrics --help)');
    }
    const open = join(dir, 'open-token');
    writeFileSync(open, 'x'.repeat(32));
    chmodSync(open, 0o644);
    const refused = await usage(['--listen', '0.0.0.0:0', '--token-file', open]);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain('readable by every user');
  });

  it('prints help', async () => {
    const out = capture();
    expect(await runMetrics(['--help'], { stdout: out.stream, stderr: out.stream })).toBe(0);
    expect(out.text()).toMatch(/^Usage: portscope metrics/);
  });
});

describe('portscope serve --metrics', () => {
  it('serves metrics on a listener of its own beside the UI', async () => {
    const build = makeRendererDir();
    const out = capture();
    const stop = new AbortController();
    let results: { ui: number; metrics: number; uiMetrics: number; body: string } | null = null;
    const code = runServe(['--no-open', '--metrics', '127.0.0.1:0'], {
      stdout: out.stream,
      stderr: capture().stream,
      stop: stop.signal,
      rendererDir: build.root,
      settingsFile: join(dir, 'serve.json'),
      onListening: (ui) => {
        void (async () => {
          const url = /Portscope metrics at (\S+)/.exec(out.text())?.[1] ?? '';
          const m = await fetchText(url);
          // The UI's server knows nothing of /metrics: it is not a route there.
          const uiMetrics = await fetchText(`http://127.0.0.1:${ui.port}/metrics`);
          results = {
            ui: ui.port,
            metrics: Number(new URL(url).port),
            uiMetrics: uiMetrics.status,
            body: m.body,
          };
          stop.abort();
        })();
      },
    });
    expect(await code).toBe(0);
    build.cleanup();
    const r = results as { ui: number; metrics: number; uiMetrics: number; body: string } | null;
    expect(r?.metrics).not.toBe(r?.ui);
    expect(r?.body).toContain('# TYPE portscope_listening gauge');
    expect(r?.uiMetrics).not.toBe(200);
  });

  it('refuses a public metrics address without a token file (exit 2)', async () => {
    const err = capture();
    const code = await runServe(['--no-open', '--metrics', '0.0.0.0:9798'], {
      stdout: capture().stream,
      stderr: err.stream,
      settingsFile: join(dir, 'serve2.json'),
    });
    expect(code).toBe(2);
    expect(err.text()).toContain('without --metrics-token-file');
  });
});

describe('lazy prom-client', () => {
  it('is not loaded by the CLI, serve or the metrics folder until metrics are asked for', async () => {
    const root = join(__dirname, '..', '..');
    const script = `
import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const loaded = () => Object.keys(req.cache).filter((k) => k.includes('/prom-client/')).length;
await import(${JSON.stringify(join(root, 'electron/cli/commands.ts'))});
await import(${JSON.stringify(join(root, 'electron/cli/serve-command.ts'))});
const m = await import(${JSON.stringify(join(root, 'electron/core/metrics/index.ts'))});
const before = loaded();
await m.loadMetrics();
console.log(JSON.stringify({ before, after: loaded() }));
`;
    const file = join(dir, 'lazy-check.mts');
    writeFileSync(file, script);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() as string)).toEqual({
      before: 0,
      after: expect.any(Number),
    });
    expect(JSON.parse(stdout.trim().split('\n').pop() as string).after).toBeGreaterThan(0);
  }, 60_000);
});
