import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  MetricsConfigError,
  type MetricsServer,
  parseListenAddress,
  startMetricsServer,
} from './metrics-server';
import { readTokenFile } from './metrics-token';

/** The exporter's listener over real HTTP: loopback default, Host check, bearer token, read-only. */

const BODY = '# HELP portscope_up test\nportscope_up 1\n';
const render = async () => ({ contentType: 'text/plain; version=0.0.4; charset=utf-8', body: BODY });
const TOKEN = 'aaaaaaaaaaaab7c9d0e1f2';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(host = '127.0.0.1', token: string | null = null, maxConnections?: number) {
  const server = await startMetricsServer({
    render,
    host,
    port: 0,
    token,
    ...(maxConnections ? { maxConnections } : {}),
  });
  cleanups.push(() => server.close());
  return server;
}

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  server: MetricsServer,
  path: string,
  opts: { method?: string; host?: string; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: opts.method ?? 'GET',
        setHost: false,
        headers: { Host: opts.host ?? `127.0.0.1:${server.port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => {
          body += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A raw request (for what node:http will not send, e.g. two Host headers). */
function raw(server: MetricsServer, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = connect(server.port, '127.0.0.1', () => s.end(text));
    let out = '';
    s.setEncoding('utf8');
    s.on('data', (c) => {
      out += c;
    });
    s.on('close', () => resolve(out));
    s.on('error', reject);
  });
}

describe('metrics server on loopback (default)', () => {
  it('serves GET /metrics and / and nothing else', async () => {
    const server = await start();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);
    const ok = await get(server, '/metrics');
    expect(ok.status).toBe(200);
    expect(ok.body).toBe(BODY);
    expect(ok.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(ok.headers['cache-control']).toBe('no-store');
    expect((await get(server, '/')).status).toBe(200);
    expect((await get(server, '/metrics?x=1')).status).toBe(200);
    expect((await get(server, '/ws')).status).toBe(404);
    expect((await get(server, '/metrics/../settings')).status).toBe(404);
    const head = await get(server, '/metrics', { method: 'HEAD' });
    expect([head.status, head.body]).toEqual([200, '']);
  });

  it('refuses every method that could change something', async () => {
    const server = await start();
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const r = await get(server, '/metrics', { method });
      expect([method, r.status]).toEqual([method, 405]);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
  });

  it('answers only to loopback Host names (DNS rebinding)', async () => {
    const server = await start();
    expect((await get(server, '/metrics', { host: `localhost:${server.port}` })).status).toBe(200);
    expect((await get(server, '/metrics', { host: `evil.example:${server.port}` })).status).toBe(403);
    expect((await get(server, '/metrics', { host: '127.0.0.1:1' })).status).toBe(403);
    const twice = await raw(
      server,
      `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
    );
    expect(twice).toMatch(/^HTTP\/1\.1 400/);
  });

  it('needs no token on loopback, but checks one when it was given', async () => {
    const server = await start('127.0.0.1', TOKEN);
    expect((await get(server, '/metrics')).status).toBe(401);
    const ok = await get(server, '/metrics', { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
  });

  it('caps open connections', async () => {
    const server = await start('127.0.0.1', null, 1);
    const first = connect(server.port, '127.0.0.1');
    cleanups.push(() => void first.destroy());
    await new Promise((r) => first.once('connect', r));
    const reply = await raw(server, `GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
    expect(reply).toMatch(/^HTTP\/1\.1 503/);
  });
});

describe('metrics server beyond loopback', () => {
  it('refuses a non-loopback address without a token', async () => {
    await expect(startMetricsServer({ render, host: '0.0.0.0', port: 0 })).rejects.toBeInstanceOf(
      MetricsConfigError,
    );
  });

  it('serves any Host with the right bearer token, 401 otherwise (before 404/405)', async () => {
    const server = await start('0.0.0.0', TOKEN);
    const host = { host: `node7.example:${server.port}` };
    const ok = await get(server, '/metrics', { ...host, headers: { Authorization: `Bearer ${TOKEN}` } });
    expect([ok.status, ok.body]).toEqual([200, BODY]);
    const none = await get(server, '/metrics', host);
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toBe('Bearer realm="portscope"');
    expect(none.body).not.toContain('portscope_up');
    for (const wrong of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
      'Bearer ',
    ]) {
      const r = await get(server, '/metrics', { ...host, headers: { Authorization: wrong } });
      expect([wrong, r.status]).toEqual([wrong, 401]);
    }
    expect((await get(server, '/nothing', host)).status).toBe(401);
    expect((await get(server, '/metrics', { ...host, method: 'POST' })).status).toBe(401);
    const post = await get(server, '/metrics', {
      ...host,
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(post.status).toBe(405);
  });
});

describe('token file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-token-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string, mode: number) => {
    const p = join(dir, name);
    writeFileSync(p, text);
    chmodSync(p, mode);
    return p;
  };

  it('reads a private file, trimmed', async () => {
    expect(await readTokenFile(file('ok', `${TOKEN}\n`, 0o600))).toBe(TOKEN);
    expect(await readTokenFile(file('group', TOKEN, 0o640))).toBe(TOKEN);
  });

  it('refuses a world-readable or world-writable file, a short token, a directory, a missing file', async () => {
    await expect(readTokenFile(file('world', TOKEN, 0o644))).rejects.toThrow(/readable by every user/);
    await expect(readTokenFile(file('ww', TOKEN, 0o602))).rejects.toThrow(/writable by every user/);
    await expect(readTokenFile(file('short', 'abc\n', 0o600))).rejects.toThrow(/at least 16/);
    await expect(readTokenFile(file('space', `${TOKEN} ${TOKEN}`, 0o600))).rejects.toThrow(/no spaces/);
    await expect(readTokenFile(dir)).rejects.toThrow(/regular file/);
    await expect(readTokenFile(join(dir, 'absent'))).rejects.toThrow(/ENOENT/);
  });
});

describe('parseListenAddress', () => {
  it('takes HOST:PORT with IPv4, [IPv6] and localhost', () => {
    expect(parseListenAddress('127.0.0.1:9798')).toEqual({ host: '127.0.0.1', port: 9798 });
    expect(parseListenAddress('[::1]:9798')).toEqual({ host: '::1', port: 9798 });
    expect(parseListenAddress('localhost:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseListenAddress('0.0.0.0:9798')).toEqual({ host: '0.0.0.0', port: 9798 });
  });

  it('refuses anything else', () => {
    for (const bad of [
      '9798',
      '::1:9798',
      'example.com:9798',
      '127.0.0.1:65536',
      '127.0.0.1:+1',
      '[1.2.3.4]:1',
      '127.0.0.1:',
    ]) {
      expect(() => parseListenAddress(bad), bad).toThrow(MetricsConfigError);
    }
  });
});
