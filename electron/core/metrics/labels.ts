import type { SocketRow } from '../../../shared/model';
import { safeText } from '../../../shared/socket-rules';

/**
 * Label values for one listening socket. Only what names the listener: protocol, the bound local
 * address and port, the holder's short process name (the kernel's comm, never the command line or
 * the friendly label derived from it: arguments can hold secrets and make every restart a new
 * series), its user and its container's name. Never a PID (a new series on every restart), never a
 * remote endpoint (unbounded, and who talks to whom is not the fleet's business).
 */

/** Longest label value kept: names longer than this are cut (cardinality, scrape size). */
export const MAX_LABEL_CHARS = 64;

/** A label value from hostile text: control, separator and bidi characters become '?', then cut. */
export function labelValue(text: string | null | undefined): string {
  if (!text) return '';
  const safe = safeText(text);
  return safe.length > MAX_LABEL_CHARS ? `${safe.slice(0, MAX_LABEL_CHARS - 1)}…` : safe;
}

export type ListeningLabels = Record<'proto' | 'address' | 'port' | 'process' | 'user' | 'container', string>;

/** The labels of `portscope_listening` for one listening row. */
export function listeningLabels(row: SocketRow): ListeningLabels {
  const container = row.container ?? row.process?.container ?? null;
  return {
    proto: row.protocol,
    address: labelValue(row.localAddress),
    port: String(row.localPort),
    process: labelValue(row.process?.name),
    user: labelValue(row.user ?? row.process?.user),
    container: labelValue(container?.name),
  };
}

/** One key per label set, so sockets that share every label add up in one series. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.values(labels));
}
