import type { Metrics } from '../core/metrics';
import { MetricsConfigError, type MetricsServer } from '../web/metrics-server';
import { type CliIo, UsageError, usageLine } from './io';
import { prepareMetrics } from './metrics-setup';
import { safeText } from './text';

/**
 * `serve --metrics HOST:PORT`: the exporter beside the UI, in the same process (one engine, one
 * poll for both) but on a listener of its own: never the UI's port, never the UI's routes.
 * Imported by serve only when --metrics is given, so serve alone never loads prom-client.
 */

export interface MetricsBeside {
  metrics: Metrics;
  /** Listen once the UI's server is up; null (and told on stderr) when that failed. */
  start(uiPort: number): Promise<MetricsServer | null>;
}

/** Check the address and token file; false (usage printed) when they are unusable. */
export async function metricsBeside(
  opts: { metrics?: string | undefined; metricsTokenFile?: string | undefined },
  io: Pick<CliIo, 'stdout' | 'stderr'>,
): Promise<MetricsBeside | false> {
  let setup: Awaited<ReturnType<typeof prepareMetrics>>;
  try {
    setup = await prepareMetrics(opts.metrics ?? '', opts.metricsTokenFile);
  } catch (e) {
    if (!(e instanceof MetricsConfigError)) throw e;
    io.stderr.write(
      usageLine(new UsageError(e.message.replace('--token-file', '--metrics-token-file'), 'serve')),
    );
    return false;
  }
  return {
    metrics: setup.metrics,
    async start(uiPort) {
      if (setup.port === uiPort) {
        io.stderr.write(`portscope: --metrics needs a port of its own; the UI is on ${uiPort}\n`);
        return null;
      }
      try {
        const server = await setup.listen();
        io.stdout.write(`Portscope metrics at ${server.url}\n`);
        return server;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why = code === 'EADDRINUSE' ? `port ${setup.port} is already in use` : (e as Error).message;
        io.stderr.write(`portscope: cannot serve metrics on ${safeText(setup.host)}: ${safeText(why)}\n`);
        return null;
      }
    },
  };
}
