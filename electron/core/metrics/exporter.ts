import type * as PromClient from 'prom-client';
import type { SocketRow, SourceError } from '../../../shared/model';
import { holdsPort, isListening } from '../../../shared/socket-rules';
import { labelKey, labelValue, listeningLabels } from './labels';
import { KILLS, LAST_POLL, LISTENING, POLL_SECONDS, SOCKETS, SOURCE_ERRORS, WATCHED_UP } from './names';

/**
 * The Prometheus side: a registry of its own (never prom-client's global default one, which any
 * other module in the process could fill) whose gauges are computed at scrape time from the rows
 * the exporter's monitor view holds. Counters and the poll histogram are fed as things happen.
 */

/** What the exporter reads at each scrape. */
export interface ExporterState {
  /** The exporter's view of the last poll; null before the first poll. */
  latest(): { rows: Iterable<SocketRow>; errors: readonly SourceError[]; takenAt: number } | null;
  /** Ports to report up/down (the settings' watched ports, --watch). */
  watchedPorts(): readonly number[];
}

export interface Exporter {
  /** The text a scrape gets, and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  /** One finished engine poll. */
  observePoll(ms: number, scope: string): void;
  /** One kill performed (one process tree signalled). */
  countKill(outcome: string): void;
}

/** Poll times from 5 ms (a quiet netlink poll) to 10 s (a hung tool timing out). */
const POLL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Build the registry on a loaded prom-client (the caller imports it lazily). */
export function createExporter(prom: typeof PromClient, state: ExporterState): Exporter {
  const registry = new prom.Registry();
  const registers = [registry];
  // One look at the view per scrape, shared by every gauge's collect().
  let scrape: ReturnType<ExporterState['latest']> = null;
  let rows: SocketRow[] = [];

  new prom.Gauge({
    ...meta(LISTENING),
    registers,
    collect() {
      this.reset();
      const counts = new Map<string, { labels: Record<string, string>; n: number }>();
      for (const row of rows) {
        if (!isListening(row)) continue;
        const labels = listeningLabels(row);
        const key = labelKey(labels);
        const seen = counts.get(key);
        if (seen) seen.n++;
        else counts.set(key, { labels, n: 1 });
      }
      for (const { labels, n } of counts.values()) this.set(labels, n);
    },
  });

  new prom.Gauge({
    ...meta(SOCKETS),
    registers,
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const row of rows) {
        const key = `${row.protocol}\0${row.state}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, n] of counts) {
        const [proto, st] = key.split('\0') as [string, string];
        this.set({ proto, state: labelValue(st) }, n);
      }
    },
  });

  new prom.Gauge({
    ...meta(WATCHED_UP),
    registers,
    collect() {
      this.reset();
      // Before the first poll nothing is known: no series rather than a false "down".
      if (!scrape) return;
      for (const port of state.watchedPorts()) {
        this.set({ port: String(port) }, rows.some((r) => holdsPort(r, port)) ? 1 : 0);
      }
    },
  });

  new prom.Gauge({
    ...meta(SOURCE_ERRORS),
    registers,
    collect() {
      this.reset();
      const counts = new Map<string, number>();
      for (const e of scrape?.errors ?? []) {
        const key = `${labelValue(e.source)}\0${e.kind}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
      for (const [key, n] of counts) {
        const [source, kind] = key.split('\0') as [string, string];
        this.set({ source, kind }, n);
      }
    },
  });

  new prom.Gauge({
    ...meta(LAST_POLL),
    registers,
    collect() {
      this.reset();
      if (scrape) this.set(scrape.takenAt / 1000);
    },
  });

  const kills = new prom.Counter({ ...meta(KILLS), registers });
  const polls = new prom.Histogram({ ...meta(POLL_SECONDS), buckets: POLL_BUCKETS, registers });

  const renderOnce = async () => {
    scrape = state.latest();
    rows = scrape ? [...scrape.rows] : [];
    try {
      return { contentType: registry.contentType, body: await registry.metrics() };
    } finally {
      // Not kept between scrapes: the view's rows are the truth, this was one look at them.
      scrape = null;
      rows = [];
    }
  };
  // One scrape at a time: registry.metrics() awaits between metrics, and a second scrape must not
  // swap the rows under the first one's remaining gauges.
  let queue: Promise<unknown> = Promise.resolve();

  return {
    render() {
      const next = queue.then(renderOnce, renderOnce);
      queue = next.catch(() => {});
      return next;
    },
    observePoll(ms, scope) {
      polls.observe({ scope: labelValue(scope) }, ms / 1000);
    },
    countKill(outcome) {
      kills.inc({ outcome: labelValue(outcome) });
    },
  };
}

function meta(def: { name: string; help: string; labels: readonly string[] }) {
  return { name: def.name, help: def.help, labelNames: [...def.labels] };
}
