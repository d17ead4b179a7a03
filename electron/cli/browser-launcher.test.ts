import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebServer } from '../web';
import { type FakeBuild, makeRendererDir } from '../web/testing/helpers';
import { forwarderHtml, writeForwarder } from './browser-launcher';
import { runServe } from './serve-command';

/**
 * The login URL never reaches another process's argv: `serve` opens the browser on a 0600 file in
 * the runtime dir that forwards to the URL, and removes it when it stops. A $BROWSER stand-in (a
 * real script, run the real way) records its argv and the file's mode and owner. Before this change
 * the launcher got the URL itself, token included (and $BROWSER was not consulted).
 */

let base: string;
let build: FakeBuild;
beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'portscope-launcher-'));
  build = makeRendererDir();
});
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
  build.cleanup();
});

/** A launcher stand-in: records argv (one per line), `stat` of its argument, and the file's text. */
function standIn(dir: string): string {
  const script = path.join(dir, 'browser.sh');
  writeFileSync(
    script,
    `#!/bin/sh
out="$(dirname "$0")/record"
printf '%s\\n' "$0" "$@" > "$out.argv"
stat -c '%a %u %F' "$1" > "$out.stat"
cat "$1" > "$out.html"
`,
  );
  chmodSync(script, 0o755);
  return script;
}

const capture = () => {
  let text = '';
  return { stream: { write: (s: string) => (text += s) }, text: () => text };
};

describe('browser launcher', () => {
  it('opens the browser on a 0600 file in the runtime dir, never with the token in argv, and removes it on stop', {
    timeout: 10_000,
  }, async () => {
    const dir = mkdtempSync(path.join(base, 'run-'));
    const runtime = mkdtempSync(path.join(base, 'xdg-runtime-'));
    const script = standIn(dir);
    const stop = new AbortController();
    const out = capture();
    let server: WebServer | undefined;
    let opened = (_: boolean) => {};
    const wasOpened = new Promise<boolean>((resolve) => {
      opened = resolve;
    });
    const finished = runServe(['--interval', '500'], {
      stdout: out.stream,
      stderr: out.stream,
      stop: stop.signal,
      rendererDir: build.root,
      env: { PATH: process.env.PATH, DISPLAY: ':99', BROWSER: script, XDG_RUNTIME_DIR: runtime },
      onListening: (s) => {
        server = s;
      },
      onBrowserOpened: (ok) => opened(ok),
    });
    // The old code never reported an opened browser: it fails here by the test's timeout.
    expect(await wasOpened).toBe(true);
    const s = server as WebServer;

    const argv = readFileSync(path.join(dir, 'record.argv'), 'utf8').trim().split('\n');
    expect(argv.join(' ')).not.toContain(s.token);
    expect(argv).toHaveLength(2);
    const forwarder = argv[1] as string;
    expect(path.dirname(forwarder)).toBe(runtime);
    expect(readFileSync(path.join(dir, 'record.stat'), 'utf8').trim()).toBe(
      `600 ${process.getuid?.()} regular file`,
    );
    // It forwards to the whole URL, and the terminal still prints it.
    expect(readFileSync(path.join(dir, 'record.html'), 'utf8')).toContain(`location.replace("${s.url}")`);
    expect(out.text()).toContain(s.url);

    stop.abort();
    expect(await finished).toBe(0);
    expect(existsSync(forwarder)).toBe(false);
    expect(readdirSync(runtime)).toEqual([]);
  });

  it('without a usable runtime dir writes into a private 0700 temp dir and removes both', async () => {
    const tempRoot = mkdtempSync(path.join(base, 'tmp-'));
    const notOurs = mkdtempSync(path.join(base, 'open-'));
    chmodSync(notOurs, 0o755); // a runtime dir others can enter is not one
    for (const env of [{}, { XDG_RUNTIME_DIR: 'relative' }, { XDG_RUNTIME_DIR: notOurs }]) {
      const f = await writeForwarder('http://127.0.0.1:1/#token=abc', env, tempRoot);
      expect(path.dirname(path.dirname(f.file))).toBe(tempRoot);
      expect(statSync(path.dirname(f.file)).mode & 0o777).toBe(0o700);
      expect(statSync(f.file).mode & 0o777).toBe(0o600);
      f.remove();
      f.remove();
      expect(readdirSync(tempRoot)).toEqual([]);
    }
    expect(readdirSync(notOurs)).toEqual([]);
  });

  it('forwards to the full URL, fragment included, with nothing that could end the script', () => {
    const url = 'http://127.0.0.1:8765/#token=a-b_c';
    const html = forwarderHtml(url);
    expect(html).toContain(`location.replace("${url}")`);
    expect(html).toContain(`content="0;url=${url}"`);
    expect(html).toContain('<meta name="referrer" content="no-referrer">');
    const hostile = forwarderHtml('http://x/"></script><script>alert(1)</script>\u2028');
    expect(hostile.match(/<\/script>/g)).toHaveLength(1);
    expect(hostile).not.toContain('"><');
    const script = hostile.slice(hostile.indexOf('<script>'), hostile.indexOf('</script>'));
    expect(script).not.toContain('\u2028');
    expect(script).toContain('\\u003c/script>');
  });
});
