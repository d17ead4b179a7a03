import { existsSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { parseStrictInt } from '../../shared/numbers';
import { BROWSER_HOST } from '../core/api/api';
import { serveHistoryDir } from '../core/history/history-dir';
import { createPortscope } from '../core/portscope';
import { cliSettingsFile } from '../core/settings/settings';
import { startWebServer, type WebServer, WebServerConfigError } from '../web';
import { parseCommandArgs } from './args';
import { type Forwarder, openInBrowser, writeForwarder } from './browser-launcher';
import { type CliIo, EXIT, UsageError, usageLine } from './io';
import { safeText } from './text';

/**
 * `portscope serve`: the engine, the kill engine and the web server in one process, until
 * Ctrl+C. The URL it prints (token included) is the only way in; it is printed, never logged.
 */

export const SERVE_HELP = `Usage: portscope serve [--host HOST] [--port PORT] [--no-open] [--allow-remote] [--interval MS]

The browser mode: the Portscope UI on http://127.0.0.1:<port>, guarded by a random token made
at start. The token is reusable for this server's life: the printed URL logs a browser in as
often as it is opened, until this server stops (the next \`serve\` makes a new one). Treat the URL
as a password. Opening it drops the token from the address bar. The browser is opened through a
file only you can read (in $XDG_RUNTIME_DIR), so the token is never on a command line; set
BROWSER to choose the browser.

Options:
      --host HOST      address to listen on (default 127.0.0.1; ::1 and localhost also loopback)
      --port PORT      port to listen on, 0-65535 (default 0: any free port)
      --no-open        do not open a browser, just print the URL
      --allow-remote   allow a non-loopback --host: plain HTTP, so the token travels in clear
                       text; prefer an SSH tunnel: ssh -L 8765:127.0.0.1:8765 <host>
      --interval MS    polling interval, 250-60000 ms (default: the saved setting, 1000 at first)
      --metrics HOST:PORT  also serve Prometheus metrics there, on a listener of its own
                       (see portscope metrics --help; --metrics-token-file FILE as its --token-file)
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
  metrics: { type: 'string' },
  'metrics-token-file': { type: 'string' },
} as const;

/** What `serve` needs beyond the common CLI io; every field has a real default. */
export interface ServeIo extends Pick<CliIo, 'stdout' | 'stderr'> {
  /** Stops the server when aborted (default: SIGINT/SIGTERM). */
  stop?: AbortSignal;
  /**
   * Opens a browser on the forwarding file's path (never the URL: argv is public); resolves false
   * when that failed (default: $BROWSER, else xdg-open/open/start).
   */
  openBrowser?: (file: string) => Promise<boolean>;
  /** Environment of the launcher: BROWSER, DISPLAY, XDG_RUNTIME_DIR (default: process.env). */
  env?: NodeJS.ProcessEnv;
  /** Told whether the browser was opened (tests). */
  onBrowserOpened?: (opened: boolean) => void;
  /** Built renderer directory (default: out/renderer next to the bundle). */
  rendererDir?: string;
  /** The settings file (default: cliSettingsFile(), beside the CLI's config). */
  settingsFile?: string;
  /** The history folder (default: historyDir(); beside `settingsFile` when only that is given). */
  historyDir?: string;
  /** Told the server is up (tests). */
  onListening?: (server: WebServer) => void;
}

/** The --allow-remote warning: what is exposed, how (plain HTTP), and the safer way. */
export function remoteWarning(host: string, port: number): string {
  return (
    `portscope: warning: listening on ${safeText(host)}, not only this machine, over plain HTTP: ` +
    'the token in the URL (and every page and command) travels in clear text, so anyone who can ' +
    'see the traffic can take it, and anyone with the URL can see your ports and kill your processes.\n' +
    'portscope: warning: prefer the default 127.0.0.1 and an SSH tunnel from your machine: ' +
    `ssh -L ${port}:127.0.0.1:${port} <this host>, then open the printed URL there.\n`
  );
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
    metrics: v.metrics,
    metricsTokenFile: v['metrics-token-file'],
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

  // Checked (and prom-client loaded) before anything starts; nothing of it loads without --metrics.
  const metrics = opts.metrics ? await (await import('./metrics-beside')).metricsBeside(opts, io) : null;
  if (metrics === false) return EXIT.usage;
  const { stopped, dispose } = stopSignal(io.stop);
  // Never throws: an unreadable file means defaults plus a notice (here and, once, in the page).
  const portscope = await createPortscope({
    settingsFile: io.settingsFile ?? cliSettingsFile(),
    ...(opts.intervalMs !== null ? { intervalMs: opts.intervalMs } : {}),
    // Our own process hosts the UI: a click in it must never end it.
    protectedPids: () => [process.pid],
    capabilities: BROWSER_HOST,
    ...(metrics ? { plugins: [metrics.metrics.plugin] } : {}),
    history: { dir: serveHistoryDir(io) },
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
    io.stderr.write(remoteWarning(server.host, server.port));
  }
  const metricsServer = metrics ? await metrics.start(server.port) : null;
  if (metrics && !metricsServer) {
    await server.close();
    portscope.stop();
    dispose();
    return EXIT.failure;
  }
  io.stdout.write(`Portscope is running at ${server.url}\n`);
  io.stdout.write('Press Ctrl+C to stop.\n');
  io.onListening?.(server);
  let forwarder: Forwarder | undefined;
  if (opts.open) {
    const env = io.env ?? process.env;
    let opened = false;
    try {
      forwarder = await writeForwarder(server.url, env);
      opened = await (io.openBrowser ?? ((f) => openInBrowser(f, process.platform, env)))(forwarder.file);
    } catch {
      opened = false;
    }
    if (!opened) io.stdout.write('Could not open a browser; open this URL yourself (see above).\n');
    // A sandboxed (snap, flatpak) browser may not be allowed to read the runtime dir: say what to do.
    else io.stdout.write('Browser opened; if it cannot open the page it was given, open the URL above.\n');
    io.onBrowserOpened?.(opened);
  }

  await stopped;
  dispose();
  // The forwarding file holds the token: it goes with the server (SIGINT/SIGTERM end up here too).
  forwarder?.remove();
  await server.close();
  await metricsServer?.close();
  portscope.stop();
  io.stdout.write('Portscope stopped.\n');
  return EXIT.ok;
}
