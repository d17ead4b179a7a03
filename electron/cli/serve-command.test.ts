import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../web';
import { authedWs, type FakeBuild, httpGet, makeRendererDir } from '../web/testing/helpers';
import { browserCommand, hasDesktop, openInBrowser, runServe } from './serve-command';

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

  it('serves until stopped, prints the login URL and opens it in the browser', async () => {
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
      openBrowser: async (url) => {
        opened.push(url);
        return false;
      },
      onListening: (s) => {
        server = s;
      },
    });
    while (!server || opened.length === 0) await new Promise((r) => setTimeout(r, 20));
    const s = server as WebServer;
    expect(out.text()).toContain(`Portscope is running at http://127.0.0.1:${s.port}/#token=${s.token}\n`);
    expect(opened).toEqual([s.url]);
    expect(out.text()).toContain('open this URL yourself');
    expect((await httpGet(s.port, '/')).status).toBe(200);
    (await authedWs(s.port, s.token)).close();
    stop.abort();
    expect(await running).toBe(0);
    expect(out.text()).toContain('Portscope stopped.');
    expect(err.text()).toBe('');
    await expect(httpGet(s.port, '/')).rejects.toThrow();
  });

  it('launches the browser with the URL as one argument and no shell', () => {
    const url = 'http://127.0.0.1:5000/?token=abc';
    expect(browserCommand('linux', url)).toEqual({ file: 'xdg-open', args: [url] });
    expect(browserCommand('darwin', url)).toEqual({ file: 'open', args: [url] });
    expect(browserCommand('win32', url)).toEqual({ file: 'cmd', args: ['/c', 'start', '""', url] });
  });

  it('does not try to open a browser without a display', async () => {
    expect(hasDesktop('linux', {})).toBe(false);
    expect(hasDesktop('linux', { WAYLAND_DISPLAY: 'wayland-0' })).toBe(true);
    expect(hasDesktop('darwin', {})).toBe(true);
    expect(await openInBrowser('http://127.0.0.1:1/', 'linux', {})).toBe(false);
  });
});
