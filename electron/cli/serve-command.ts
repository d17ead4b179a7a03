import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseStrictInt } from '../../shared/validate';
import { BROWSER_HOST } from '../core/api/api';
import { createPortscope } from '../core/portscope';
import { cliSettingsFile } from '../core/settings/settings';
import { startWebServer, type WebServer, WebServerConfigError } from '../web';
import { parseCommandArgs } from './args';
import { type CliIo, EXIT, UsageError, usageLine } from './io';
import { safeText } from './text';

/**
 * `portscope serve`: the engine, the kill engine and the web server in one process, until
 * Ctrl+C. The URL it prints (token included) is the only way in; it is printed, never logged.
 */

export const SERVE_HELP = `Usage: portscope serve [--host HOST] [--port PORT] [--no-open] [--allow-remote] [--interval MS]

The browser mode: the Portscope UI on http://127.0.0.1:<port>, guarded by a one-time token.
Open the printed URL (it logs the browser in and drops the token from the address bar).

Options:
      --host HOST      address to listen on (default 127.0.0.1; ::1 and localhost also loopback)
      --port PORT      port to listen on, 0-65535 (default 0: any free port)
      --no-open        do not open a browser, just print the URL
      --allow-remote   allow a non-loopback --host (anyone who gets the URL can kill processes)
      --interval MS    polling interval, 250-60000 ms (default: the saved setting, 1000 at first)
  -h, --help           show this help

Settings changed in the page are kept in the CLI's config folder
($XDG_CONFIG_HOME/portscope/settings.json, ~/.config/portscope on Linux).
Stop with Ctrl+C.
`;

const spec = {
  host: { type: 'string' },
  port: { type: 'string' },
  'no-open': { type: 'boolean' },
  'allow-remote': { type: 'boolean' },
  interval: { type: 'string' },
} as const;

/** What `serve` needs beyond the common CLI io; every field has a real default. */
export interface ServeIo extends Pick<CliIo, 'stdout' | 'stderr'> {
  /** Stops the server when aborted (default: SIGINT/SIGTERM). */
  stop?: AbortSignal;
  /** Opens the URL in a browser; resolves false when that failed (default: xdg-open/open/start). */
  openBrowser?: (url: string) => Promise<boolean>;
  /** Built renderer directory (default: out/renderer next to the bundle). */
  rendererDir?: string;
  /** The settings file (default: cliSettingsFile(), beside the CLI's config). */
  settingsFile?: string;
  /** Told the server is up (tests). */
  onListening?: (server: WebServer) => void;
}

/** The browser launcher for this platform: a fixed program and the URL as one argument, no shell. */
export function browserCommand(platform: NodeJS.Platform, url: string): { file: string; args: string[] } {
  if (platform === 'darwin') return { file: 'open', args: [url] };
  // `start` is a cmd built-in; the empty "" is its window title, so the URL is never taken for one.
  if (platform === 'win32') return { file: 'cmd', args: ['/c', 'start', '""', url] };
  return { file: 'xdg-open', args: [url] };
}

/** Is there a graphical session to open a browser in? (Always assumed on macOS and Windows.) */
export function hasDesktop(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Launch the browser; true when the launcher started and did not fail quickly. */
export function openInBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  // Without a display (ssh, a server) xdg-open could only fall back to a terminal browser.
  if (!hasDesktop(platform, env)) return Promise.resolve(false);
  const { file, args } = browserCommand(platform, url);
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, args, { stdio: 'ignore', detached: true, windowsVerbatimArguments: false });
    } catch {
      resolve(false);
      return;
    }
    // Some launchers stay up as long as the browser does: give up waiting, not on the browser.
    const timer = setTimeout(() => {
      child.unref();
      resolve(true);
    }, 3_000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}

/** out/renderer, whether we run from the bundle (out/cli) or from source (electron/cli). */
export function defaultRendererDir(): string {
  const candidates = [join(__dirname, '..', 'renderer'), join(__dirname, '..', '..', 'out', 'renderer')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? (candidates[0] as string);
}

function parseOptions(argv: readonly string[]) {
  const args = parseCommandArgs('serve', argv, spec, 0);
  const v = args.values;
  const port = v.port === undefined ? 0 : parseStrictInt(v.port, 0, 65535);
  if (port === null) throw new UsageError(`bad --port '${safeText(v.port ?? '')}' (0-65535)`, 'serve');
  // null: not given, so the saved setting decides.
  const intervalMs = v.interval === undefined ? null : parseStrictInt(v.interval, 250, 60_000);
  if (v.interval !== undefined && intervalMs === null) {
    throw new UsageError(`bad --interval '${safeText(v.interval ?? '')}' (250-60000 ms)`, 'serve');
  }
  const host = v.host ?? '127.0.0.1';
  if (host !== 'localhost' && isIP(host) === 0) {
    throw new UsageError(`bad --host '${safeText(host)}' (an IP address or localhost)`, 'serve');
  }
  return {
    help: args.help,
    host,
    port,
    intervalMs,
    open: !v['no-open'],
    allowRemote: v['allow-remote'] === true,
  };
}

/**
 * Resolves when `stop` aborts, or on SIGINT/SIGTERM when no signal was given. Installed before
 * anything starts, so Ctrl+C during start-up also ends cleanly; dispose() removes the handlers.
 */
function stopSignal(stop: AbortSignal | undefined): { stopped: Promise<void>; dispose(): void } {
  if (stop) {
    return {
      stopped: new Promise((resolve) => {
        if (stop.aborted) resolve();
        else stop.addEventListener('abort', () => resolve(), { once: true });
      }),
      dispose: () => {},
    };
  }
  let done = () => {};
  const stopped = new Promise<void>((resolve) => {
    done = () => resolve();
  });
  const dispose = () => {
    process.off('SIGINT', done);
    process.off('SIGTERM', done);
  };
  process.on('SIGINT', done);
  process.on('SIGTERM', done);
  return { stopped, dispose };
}

/** `portscope serve …`: returns the exit code once stopped. */
export async function runServe(argv: readonly string[], io: ServeIo): Promise<number> {
  let opts: ReturnType<typeof parseOptions>;
  try {
    opts = parseOptions(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(usageLine(e));
      return EXIT.usage;
    }
    throw e;
  }
  if (opts.help) {
    io.stdout.write(SERVE_HELP);
    return EXIT.ok;
  }

  const { stopped, dispose } = stopSignal(io.stop);
  // Never throws: an unreadable file means defaults plus a notice (here and, once, in the page).
  const portscope = await createPortscope({
    settingsFile: io.settingsFile ?? cliSettingsFile(),
    ...(opts.intervalMs !== null ? { intervalMs: opts.intervalMs } : {}),
    // Our own process hosts the UI: a click in it must never end it.
    protectedPids: () => [process.pid],
    capabilities: BROWSER_HOST,
  });
  if (portscope.loaded.notice) io.stderr.write(`portscope: ${safeText(portscope.loaded.notice)}\n`);
  // Each tab is its own client: with none connected the monitor polls at its idle interval.
  portscope.start();

  let server: WebServer;
  try {
    server = await startWebServer({
      core: portscope.core,
      host: opts.host,
      port: opts.port,
      allowRemote: opts.allowRemote,
      rendererDir: io.rendererDir ?? defaultRendererDir(),
    });
  } catch (e) {
    portscope.stop();
    dispose();
    if (e instanceof WebServerConfigError) {
      io.stderr.write(usageLine(new UsageError(e.message, 'serve')));
      return EXIT.usage;
    }
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${opts.port} is already in use` : (e as Error).message;
    io.stderr.write(`portscope: cannot listen on ${safeText(opts.host)}: ${safeText(why)}\n`);
    return EXIT.failure;
  }

  if (opts.allowRemote && server.host !== '127.0.0.1' && server.host !== '::1') {
    io.stderr.write(
      `portscope: warning: listening on ${safeText(server.host)}, not only this machine: anyone who reaches it with the URL can see your ports and kill your processes.\n`,
    );
  }
  io.stdout.write(`Portscope is running at ${server.url}\n`);
  io.stdout.write('Press Ctrl+C to stop.\n');
  io.onListening?.(server);
  if (opts.open) {
    const opened = await (io.openBrowser ?? openInBrowser)(server.url);
    if (!opened) io.stdout.write('Could not open a browser; open this URL yourself (see above).\n');
  }

  await stopped;
  dispose();
  await server.close();
  portscope.stop();
  io.stdout.write('Portscope stopped.\n');
  return EXIT.ok;
}
