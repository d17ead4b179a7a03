import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../web';
import { authedWs, type FakeBuild, httpGet, makeRendererDir } from '../web/testing/helpers';
import { browserCommand, hasDesktop, openInBrowser } from './browser-launcher';
import { runServe } from './serve-command';

/** `portscope serve` in process: real engine, real server, injected browser launcher and stop signal. */

function capture() {
  let text = '';
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
}

let build: FakeBuild;
beforeAll(() => {
  build = makeRendererDir();
});
afterAll(() => build.cleanup());

async function usage(argv: string[]): Promise<{ code: number; err: string }> {
  const out = capture();
  const err = capture();
  const code = await runServe(argv, { stdout: out.stream, stderr: err.stream, rendererDir: build.root });
  return { code, err: err.text() };
}

describe('portscope serve', () => {
  it('prints help', async () => {
    const out = capture();
    expect(await runServe(['--help'], { stdout: out.stream, stderr: out.stream })).toBe(0);
    expect(out.text()).toMatch(/^Usage: portscope serve/);
    // What the token is, exactly (it used to say "one-time", which it never was).
    expect(out.text()).toContain("reusable for this server's life");
    expect(out.text()).not.toContain('one-time');
    expect(out.text()).toContain('ssh -L 8765:127.0.0.1:8765');
  });

  it('--allow-remote warns that the token travels in clear text and points to an SSH tunnel', async () => {
    const out = capture();
    const err = capture();
    const stop = new AbortController();
    let port = 0;
    const code = runServe(['--host', '0.0.0.0', '--allow-remote', '--no-open'], {
      stdout: out.stream,
      stderr: err.stream,
      stop: stop.signal,
      rendererDir: build.root,
      onListening: (s) => {
        port = s.port;
        stop.abort();
      },
    });
    expect(await code).toBe(0);
    expect(err.text()).toContain('plain HTTP');
    expect(err.text()).toContain('travels in clear text');
    expect(err.text()).toContain(`ssh -L ${port}:127.0.0.1:${port} <this host>`);
  });

  it('rejects bad usage with one line and exit 2, before listening', async () => {
    const cases = [
      ['--port', '80x'],
      ['--port', '65536'],
      ['--port', '-1'],
      ['--interval', '10'],
      ['--interval', '1e3'],
      ['--host', 'evil.example'],
      ['--host', '0.0.0.0'],
      ['--bogus'],
      ['extra'],
    ];
    for (const argv of cases) {
      const { code, err } = await usage(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(err).toMatch(/^portscope: .*\(see portscope serve --help\)\n$/);
    }
  });

  it('serves until stopped, prints the login URL and opens the browser on a forwarding file', async () => {
    const out = capture();
    const err = capture();
    const stop = new AbortController();
    const opened: string[] = [];
    let server: WebServer | undefined;
    const running = runServe(['--interval', '500'], {
      stdout: out.stream,
      stderr: err.stream,
      stop: stop.signal,
      rendererDir: build.root,
      openBrowser: async (file) => {
        opened.push(file);
        return false;
      },
      onListening: (s) => {
        server = s;
      },
    });
    while (!server || opened.length === 0) await new Promise((r) => setTimeout(r, 20));
    const s = server as WebServer;
    expect(out.text()).toContain(`Portscope is running at http://127.0.0.1:${s.port}/#token=${s.token}\n`);
    expect(opened).toHaveLength(1);
    expect(opened[0]).not.toContain(s.token);
    expect(readFileSync(opened[0] as string, 'utf8')).toContain(s.url);
    expect(out.text()).toContain('open this URL yourself');
    expect((await httpGet(s.port, '/')).status).toBe(200);
    (await authedWs(s.port, s.token)).close();
    stop.abort();
    expect(await running).toBe(0);
    expect(out.text()).toContain('Portscope stopped.');
    expect(err.text()).toBe('');
    await expect(httpGet(s.port, '/')).rejects.toThrow();
  });

  it('launches the browser with the file as one argument and no shell', () => {
    const file = '/run/user/0/portscope-1-ab-open.html';
    expect(browserCommand('linux', file)).toEqual({ file: 'xdg-open', args: [file] });
    expect(browserCommand('darwin', file)).toEqual({ file: 'open', args: [file] });
    expect(browserCommand('win32', file)).toEqual({ file: 'cmd', args: ['/c', 'start', '""', file] });
    expect(browserCommand('linux', file, { BROWSER: 'firefox --new-tab:chromium' })).toEqual({
      file: 'firefox',
      args: ['--new-tab', file],
    });
    expect(browserCommand('linux', file, { BROWSER: 'web %s --x' })).toEqual({
      file: 'web',
      args: [file, '--x'],
    });
  });

  it('does not try to open a browser without a display', async () => {
    expect(hasDesktop('linux', {})).toBe(false);
    expect(hasDesktop('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDesktop('darwin', {})).toBe(true);
    expect(await openInBrowser('http://127.0.0.1:1/', 'linux', {})).toBe(false);
  });
});
