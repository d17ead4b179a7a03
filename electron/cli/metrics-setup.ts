import { loadMetrics, type Metrics, type MetricsOptions } from '../core/metrics';
import {
  checkExposure,
  type MetricsServer,
  parseListenAddress,
  startMetricsServer,
} from '../web/metrics-server';
import { readTokenFile } from '../web/metrics-token';

/**
 * What `portscope metrics` and `serve --metrics` share: check the address and the token file
 * before anything starts (a bad one is a usage error, not a half-started exporter), load
 * prom-client (only now: no other command pays for it), and listen once the core runs.
 */

export interface MetricsSetup {
  metrics: Metrics;
  host: string;
  port: number;
  /** Start the exporter's listener (after the core started, so the first scrape has a poll). */
  listen(): Promise<MetricsServer>;
}

/** Throws MetricsConfigError for a bad address, an unusable token file, or a public address without one. */
export async function prepareMetrics(
  listen: string,
  tokenFile: string | undefined,
  options: MetricsOptions = {},
): Promise<MetricsSetup> {
  const { host, port } = parseListenAddress(listen);
  const token = tokenFile === undefined ? null : await readTokenFile(tokenFile);
  checkExposure(host, token);
  const metrics = await loadMetrics(options);
  return {
    metrics,
    host,
    port,
    listen: () => startMetricsServer({ render: metrics.render, host, port, token }),
  };
}
