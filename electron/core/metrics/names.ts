/**
 * Every metric the exporter publishes, with its labels: one list, so the exporter, the deploy/
 * examples' tests (alert rules, Grafana panels) and the privacy test all read the same names.
 * No label here may carry a command line, a PID or a remote endpoint (privacy and cardinality).
 */

export interface MetricDef {
  name: string;
  type: 'gauge' | 'counter' | 'histogram';
  help: string;
  labels: readonly string[];
}

export const LISTENING = {
  name: 'portscope_listening',
  type: 'gauge',
  help: 'Listening sockets (TCP LISTEN, bound UDP) by what holds them; the value counts sockets with these labels (1 except SO_REUSEPORT siblings).',
  labels: ['proto', 'address', 'port', 'process', 'user', 'container'],
} as const satisfies MetricDef;

export const SOCKETS = {
  name: 'portscope_sockets',
  type: 'gauge',
  help: 'Sockets by protocol and state, for the scope the exporter watches (listening, or all with --all-states).',
  labels: ['proto', 'state'],
} as const satisfies MetricDef;

export const WATCHED_UP = {
  name: 'portscope_watched_port_up',
  type: 'gauge',
  help: 'Watched ports (settings, --watch): 1 when something listens on the port, 0 when nothing does.',
  labels: ['port'],
} as const satisfies MetricDef;

export const KILLS = {
  name: 'portscope_kills_total',
  type: 'counter',
  help: 'Kills this Portscope performed (each process tree signalled), by outcome.',
  labels: ['outcome'],
} as const satisfies MetricDef;

export const POLL_SECONDS = {
  name: 'portscope_poll_duration_seconds',
  type: 'histogram',
  help: 'Time one engine poll took (every source, holders, process metadata).',
  labels: ['scope'],
} as const satisfies MetricDef;

export const SOURCE_ERRORS = {
  name: 'portscope_source_errors',
  type: 'gauge',
  help: 'Socket sources failing in the last poll, by source and kind (missing, failed, timeout, permission).',
  labels: ['source', 'kind'],
} as const satisfies MetricDef;

export const LAST_POLL = {
  name: 'portscope_last_poll_timestamp_seconds',
  type: 'gauge',
  help: 'When the last poll finished (Unix time); stale data shows as an old value.',
  labels: [],
} as const satisfies MetricDef;

export const EXPORTED_METRICS: readonly MetricDef[] = [
  LISTENING,
  SOCKETS,
  WATCHED_UP,
  KILLS,
  POLL_SECONDS,
  SOURCE_ERRORS,
  LAST_POLL,
];

/**
 * The series names a scrape can contain: a histogram is published as _bucket, _sum and _count
 * (what a PromQL expression names).
 */
export function exportedSeriesNames(): Set<string> {
  const names = new Set<string>();
  for (const m of EXPORTED_METRICS) {
    if (m.type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(`${m.name}${s}`);
    else names.add(m.name);
  }
  return names;
}
