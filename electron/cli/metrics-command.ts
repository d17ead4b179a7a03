import { parseStrictInt } from '../../shared/validate';
import { createPortscope } from '../core/portscope';
import { cliSettingsFile } from '../core/settings/settings';
import { MetricsConfigError, type MetricsServer } from '../web/metrics-server';
import { parseCommandArgs } from './args';
import { type CliIo, EXIT, UsageError, usageLine } from './io';
import { type MetricsSetup, prepareMetrics } from './metrics-setup';
import { safeText } from './text';

/**
 * `portscope metrics`: the engine and the Prometheus exporter, no UI, until stopped. For one
 * machine of a fleet: Prometheus scrapes it, alerts and dashboards live there (deploy/).
 */

export const METRICS_HELP = `Usage: portscope metrics [--listen HOST:PORT] [--token-file FILE] [--watch PORTS] [--all-states] [--interval MS]

Serve this machine's listening ports in Prometheus text format at http://HOST:PORT/metrics
(read-only: GET /metrics and / only). Labels name the listener (protocol, address, port,
process name, user, container), never a command line, a PID or a remote address.

Options:
      --listen HOST:PORT   where to listen (default 127.0.0.1:9798; [::1]:9798 for IPv6)
      --token-file FILE    require "Authorization: Bearer <token>" with the token in FILE
                           (mode 600/640; a world-readable file is refused). Needed for any
                           address beyond loopback, e.g. --listen 0.0.0.0:9798
      --watch PORTS        also report these ports up/down (comma-separated), besides the
                           watched ports in the settings
      --all-states         count every socket by state (portscope_sockets), not only listeners
      --interval MS        how often to look, 250-60000 ms (default 5000)
  -h, --help               show this help

Stop with Ctrl+C (or SIGTERM). Examples for systemd, Prometheus, alerts and Grafana: deploy/.
`;

const spec = {
  listen: { type: 'string' },
  'token-file': { type: 'string' },
  watch: { type: 'string' },
  'all-states': { type: 'boolean' },
  interval: { type: 'string' },
} as const;

/** What the command needs beyond the common io (tests stop it and learn its address). */
export interface MetricsIo extends Pick<CliIo, 'stdout' | 'stderr'> {
  stop?: AbortSignal;
  settingsFile?: string;
  onListening?: (server: MetricsServer) => void;
}

/** `--watch 80,443` → [80, 443]; a usage error for anything but ports. */
export function parseWatch(text: string | undefined, command: string): number[] {
  if (text === undefined) return [];
  const ports = text.split(',').map((p) => parseStrictInt(p.trim(), 1, 65535));
  if (ports.length > 200 || ports.some((p) => p === null)) {
    throw new UsageError(
      `bad --watch '${safeText(text.slice(0, 80))}' (ports 1-65535, comma-separated)`,
      command,
    );
  }
  return [...new Set(ports as number[])];
}

/** Resolves on `stop`'s abort, or on SIGINT/SIGTERM; dispose() removes the handlers. */
export function untilStopped(stop: AbortSignal | undefined): { stopped: Promise<void>; dispose(): void } {
  let done = () => {};
  const stopped = new Promise<void>((resolve) => {
    done = () => resolve();
  });
  if (stop) {
    if (stop.aborted) done();
    else stop.addEventListener('abort', done, { once: true });
    return { stopped, dispose: () => stop.removeEventListener('abort', done) };
  }
  process.on('SIGINT', done);
  process.on('SIGTERM', done);
  return {
    stopped,
    dispose: () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
    },
  };
}

/** `portscope metrics …`: the exit code once stopped. */
export async function runMetrics(argv: readonly string[], io: MetricsIo): Promise<number> {
  let setup: MetricsSetup;
  let intervalMs: number;
  try {
    const args = parseCommandArgs('metrics', argv, spec, 0);
    if (args.help) {
      io.stdout.write(METRICS_HELP);
      return EXIT.ok;
    }
    const v = args.values;
    const interval = v.interval === undefined ? 5000 : parseStrictInt(v.interval, 250, 60_000);
    if (interval === null)
      throw new UsageError(`bad --interval '${safeText(v.interval ?? '')}' (250-60000 ms)`, 'metrics');
    intervalMs = interval;
    const watch = parseWatch(v.watch, 'metrics');
    setup = await prepareMetrics(v.listen ?? '127.0.0.1:9798', v['token-file'], {
      watch,
      scope: v['all-states'] ? 'all' : 'listening',
    }).catch((e) => {
      throw e instanceof MetricsConfigError ? new UsageError(e.message, 'metrics') : e;
    });
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(usageLine(e));
    return EXIT.usage;
  }

  const { stopped, dispose } = untilStopped(io.stop);
  const portscope = await createPortscope({
    settingsFile: io.settingsFile ?? cliSettingsFile(),
    intervalMs,
    idleIntervalMs: intervalMs,
    // This process kills nothing (no route can ask it to); still, it never ends itself.
    protectedPids: () => [process.pid],
    plugins: [setup.metrics.plugin],
  });
  if (portscope.loaded.notice) io.stderr.write(`portscope: ${safeText(portscope.loaded.notice)}\n`);
  portscope.start();
  let server: MetricsServer;
  try {
    server = await setup.listen();
  } catch (e) {
    portscope.stop();
    dispose();
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${setup.port} is already in use` : (e as Error).message;
    io.stderr.write(`portscope: cannot listen on ${safeText(setup.host)}: ${safeText(why)}\n`);
    return EXIT.failure;
  }
  io.stdout.write(`Portscope metrics at ${server.url}\nPress Ctrl+C to stop.\n`);
  io.onListening?.(server);
  await stopped;
  dispose();
  await server.close();
  portscope.stop();
  io.stdout.write('Portscope metrics stopped.\n');
  return EXIT.ok;
}
