/**
 * Prometheus metrics for fleets (issue 17): a plugin of the composition root and its exporter.
 * prom-client is loaded only by loadMetrics(): importing this folder costs nothing until then.
 */

export { loadMetrics, type Metrics, type MetricsOptions } from './metrics-plugin';
export { EXPORTED_METRICS, exportedSeriesNames } from './names';
