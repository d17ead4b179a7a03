import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';

/**
 * Helpers for the web server's tests: a throwaway renderer build with a secret beside it (for
 * traversal attempts), raw HTTP with any Host header, a `ws` client with chosen headers, and one
 * that authenticates as our page does.
 */

export interface FakeBuild {
  root: string;
  secret: string;
  cleanup(): void;
}

/** A minimal out/renderer: index.html, a script, a directory, and a symlink pointing out of it. */
export function makeRendererDir(): FakeBuild {
  const base = mkdtempSync(join(tmpdir(), 'portscope-web-'));
  const root = join(base, 'renderer');
  const secret = 'TOP-SECRET-OUTSIDE-ROOT';
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(base, 'secret.txt'), secret);
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Portscope</title><div id="root"></div>');
  writeFileSync(join(root, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(root, 'assets', 'blob.weird'), 'bytes');
  symlinkSync(join(base, 'secret.txt'), join(root, 'assets', 'escape.txt'));
  return { root, secret, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One HTTP request to 127.0.0.1:port with exactly these headers (Host included) and raw path. */
export function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => {
          body += d;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket with chosen headers; resolves open, or the HTTP status it was refused with. */
export function openWs(
  port: number,
  headers: Record<string, string>,
  path = '/ws',
  autoPong = true,
): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers, autoPong });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.once('error', (e) => reject(e));
  });
}

/** The Origin our own page would send to a server on `port`. */
export const ownOrigin = (port: number) => `http://127.0.0.1:${port}`;

/** A socket as our own page has it: opened with our Origin, authenticated with `token`. */
export async function authedWs(port: number, token: string): Promise<WebSocket> {
  const r = await openWs(port, { Origin: ownOrigin(port) });
  if (!('ws' in r)) throw new Error(`upgrade refused: ${r.status}`);
  const reply = await new Promise<string>((resolve, reject) => {
    r.ws.once('message', (data) => resolve(data.toString()));
    r.ws.once('close', (code, reason) => reject(new Error(`closed ${code} ${reason}`)));
    r.ws.send(JSON.stringify({ type: 'auth', token }));
  });
  if (JSON.parse(reply).type !== 'auth') throw new Error(`unexpected first answer: ${reply}`);
  return r.ws;
}

/** Resolves with the close code and reason of a socket. */
export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) =>
    ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
  );
}
