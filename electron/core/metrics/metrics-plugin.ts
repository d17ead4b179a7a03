import type * as PromClient from 'prom-client';
import type { Scope, SocketRow, SourceError } from '../../../shared/model';
import type { PortscopePlugin } from '../portscope';
import { createExporter, type Exporter } from './exporter';

/**
 * The metrics plugin: a monitor view of its own (a client of the composition root like a window
 * or the tray), kept as a map of rows from its snapshot and deltas, read by the exporter at each
 * scrape. prom-client is imported here, on demand: front doors that export nothing never load it.
 */

export interface MetricsOptions {
  /** Ports reported up/down besides the settings' watched ports (`--watch`). */
  watch?: readonly number[];
  /**
   * 'listening' (default): the listeners only, at the monitor's idle pace when nobody else looks.
   * 'all': every socket, so `portscope_sockets` counts every state; the view is then observed (an
   * unobserved view never makes the monitor collect all sockets) and polls at the full interval.
   */
  scope?: Scope;
}

export interface Metrics {
  plugin: PortscopePlugin;
  /** The scrape body (Prometheus text format) and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
}

/** Load prom-client and build the plugin; the exporter reports nothing until the plugin starts. */
export async function loadMetrics(options: MetricsOptions = {}): Promise<Metrics> {
  const mod = (await import('prom-client')) as typeof PromClient & { default?: typeof PromClient };
  const prom = mod.default ?? mod;
  const scope = options.scope ?? 'listening';
  const extra = options.watch ?? [];
  let rows = new Map<string, SocketRow>();
  let errors: readonly SourceError[] = [];
  let takenAt: number | null = null;
  let watched: () => readonly number[] = () => extra;

  const exporter: Exporter = createExporter(prom, {
    latest: () => (takenAt === null ? null : { rows: rows.values(), errors, takenAt }),
    watchedPorts: () => watched(),
  });

  const plugin: PortscopePlugin = {
    name: 'metrics',
    start(ctx) {
      watched = () => [...new Set([...(ctx.settings()?.watchedPorts ?? []), ...extra])].sort((a, b) => a - b);
      const offPoll = ctx.onPoll((ms, polled) => exporter.observePoll(ms, polled));
      const offKill = ctx.onKill((result) => exporter.countKill(result.outcome));
      const view = ctx.subscribe({ scope, observed: scope === 'all' }, (ev) => {
        if (ev.type === 'snapshot') {
          rows = new Map(ev.snapshot.rows.map((r) => [r.key, r]));
          errors = ev.snapshot.errors;
          takenAt = ev.snapshot.takenAt;
        } else if (ev.type === 'delta') {
          const d = ev.delta;
          for (const key of d.removed) rows.delete(key);
          for (const r of d.added) rows.set(r.key, r);
          for (const r of d.changed) rows.set(r.key, r);
          if (d.errors) errors = d.errors;
          takenAt = d.takenAt;
        }
      });
      return () => {
        view.close();
        offPoll();
        offKill();
      };
    },
  };
  return { plugin, render: () => exporter.render() };
}
