import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Start the real browser mode (`portscope serve`) from the built CLI bundle, for e2e specs and
 * integration tests. Plain Node (no Playwright import), so vitest can use it too.
 */

export interface ServeHandle {
  /** The URL the CLI printed, token in the fragment: http://127.0.0.1:<port>/#token=<t>. */
  url: string;
  /**
   * Another page of this server that logs the tab in, as the printed URL does: `path` (e.g.
   * `/?view=quick`) plus the token fragment. A new tab has an empty sessionStorage and needs one.
   */
  urlFor(path: string): string;
  /** http://127.0.0.1:<port> */
  origin: string;
  token: string;
  port: number;
  pid: number;
  /** SIGTERM, wait for a clean exit (SIGKILL after 5 s). Idempotent. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Extra arguments after `serve --no-open --port 0 --interval 500` (later flags win). */
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

const ROOT = join(__dirname, '..', '..');
/** The built CLI; PORTSCOPE_CLI_BUNDLE points at another build (e.g. an installed package's). */
export const CLI_BUNDLE = process.env.PORTSCOPE_CLI_BUNDLE ?? join(ROOT, 'out', 'cli', 'index.cjs');

/** The line `portscope serve` prints; the URL is what a user would paste into a browser. */
const URL_LINE =
  /Portscope is running at (http:\/\/(127\.0\.0\.1|\[::1\]|[^\s/]+):(\d{1,5})\/#token=([A-Za-z0-9_-]+))/;

/** Spawn `node out/cli/index.cjs serve …` and resolve once it prints its URL. */
export function startServe(opts: ServeOptions = {}): Promise<ServeHandle> {
  if (!existsSync(CLI_BUNDLE)) {
    return Promise.reject(new Error(`startServe: ${CLI_BUNDLE} is missing; run \`npm run build\` first`));
  }
  const args = [CLI_BUNDLE, 'serve', '--no-open', '--port', '0', '--interval', '500', ...(opts.args ?? [])];
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    })();
    return stopping;
  };

  return new Promise<ServeHandle>((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`startServe: no URL within 20 s. stdout: ${out.trim()} stderr: ${err.trim()}`));
    }, 20_000);
    child.stderr?.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = URL_LINE.exec(out);
      if (!m) return;
      clearTimeout(timer);
      const [, url, host, port, token] = m as unknown as [string, string, string, string, string];
      const origin = `http://${host}:${port}`;
      resolve({
        url,
        urlFor: (path) => `${origin}${path}#token=${token}`,
        origin,
        token,
        port: Number(port),
        pid: child.pid as number,
        stop,
      });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`startServe: serve exited (code ${code}, signal ${signal}): ${err.trim()}`));
    });
  });
}
