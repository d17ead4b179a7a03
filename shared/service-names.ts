import type { Protocol, SocketRow } from './model';
import { COMMON_SERVICES, DEV_PORTS } from './service-names-curated';
import { IANA_SERVICE_DATA, IANA_SERVICE_INDEX } from './service-names-iana.generated';

/** Where a service name came from: the curated common names, dev ports, or the IANA registry. */
export type ServiceSource = NonNullable<SocketRow['serviceSource']>;

/** A port's name as shown, and the IANA registry's when that differs (for search). */
export interface ServiceName {
  name: string;
  source: ServiceSource;
  /** The registry's name when it is not the one shown (port 3000: 'remoteware-cl'), else null. */
  iana: string | null;
}

/** port*2 + (udp ? 1 : 0) → IANA name; built from the compact string once many ports are asked. */
let iana: Map<number, string> | null = null;

/**
 * The compact registry's records from offset `at` on, `prev` being the port before that record:
 * `each(port, tcp, udp)` per record ('' = none; a udp '=' already resolved) until it returns
 * false. Walked with indexOf and slice: splitting into records and fields made ~30,000 strings
 * and arrays, most of them thrown away (it showed in every CLI run's profile).
 */
function walk(at: number, prev: number, each: (port: number, tcp: string, udp: string) => boolean): void {
  const data = IANA_SERVICE_DATA;
  let port = prev;
  while (at < data.length) {
    let end = data.indexOf(';', at);
    if (end < 0) end = data.length;
    const c1 = data.indexOf(',', at);
    const c2 = c1 < 0 || c1 > end ? -1 : data.indexOf(',', c1 + 1);
    port += Number.parseInt(data.slice(at, c1 < 0 || c1 > end ? end : c1), 36);
    const tcp = c1 < 0 || c1 > end ? '' : data.slice(c1 + 1, c2 < 0 || c2 > end ? end : c2);
    const udp = c2 < 0 || c2 > end ? '' : data.slice(c2 + 1, end);
    if (!each(port, tcp, udp === '=' ? tcp : udp)) return;
    at = end + 1;
  }
}

/** The whole registry as a map (7-13 ms here): worth it once many ports are asked (a poll). */
function ianaTable(): Map<number, string> {
  if (iana) return iana;
  const table = new Map<number, string>();
  walk(0, 0, (port, tcp, udp) => {
    if (tcp) table.set(port * 2, tcp);
    if (udp) table.set(port * 2 + 1, udp);
    return true;
  });
  iana = table;
  return table;
}

/**
 * One port's registry name without the map: a binary search of the generated checkpoints (every
 * 64th record's start and the port before it), then a walk of at most 64 records, ~0.05 ms.
 * Exported for the test that compares it with the map on every port.
 */
export function ianaLookup(port: number, protocol: Protocol): string | null {
  const ix = checkpoints();
  // The last checkpoint whose records start after a port below `port` (pairs: [prev, offset]).
  let lo = 0;
  let hi = ix.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((ix[mid * 2] as number) < port) lo = mid;
    else hi = mid - 1;
  }
  let found: string | null = null;
  walk(ix[lo * 2 + 1] as number, ix[lo * 2] as number, (p, tcp, udp) => {
    if (p === port) found = (protocol === 'udp' ? udp : tcp) || null;
    return p < port;
  });
  return found;
}

let index: number[] | null = null;
/** The generated checkpoints as numbers: [port before, offset] pairs (~190 numbers). */
function checkpoints(): number[] {
  index ??= IANA_SERVICE_INDEX.split(',').map((n) => Number.parseInt(n, 36));
  return index;
}

/** Lookups answered from the checkpoints so far; past LOOKUPS_BEFORE_TABLE the map is built. */
let lookups = 0;
const LOOKUPS_BEFORE_TABLE = 32;

/** The IANA registry's name for (port, protocol), e.g. (8765, 'tcp') → 'ultraseek-http'; null when unnamed. */
export function ianaServiceName(port: number, protocol: Protocol): string | null {
  // A few ports (`who 3000`, a quiet machine's listeners): walk to each; a poll of thousands: the map.
  if (!iana && lookups++ < LOOKUPS_BEFORE_TABLE) return ianaLookup(port, protocol);
  return ianaTable().get(port * 2 + (protocol === 'udp' ? 1 : 0)) ?? null;
}

const memo = new Map<number, ServiceName | null>();

/**
 * The name people use for (port, protocol): the curated common name (80 → http, 53 → dns), else
 * what development tools usually run there (5173 → vite, 9229 → node inspector; TCP only), else
 * the IANA registry's (shown dimmer by the UI), else null. Memoised: every row of every poll asks.
 */
export function serviceName(port: number, protocol: Protocol): ServiceName | null {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  const id = port * 2 + (protocol === 'udp' ? 1 : 0);
  const hit = memo.get(id);
  if (hit !== undefined) return hit;
  const registry = ianaServiceName(port, protocol);
  const common = COMMON_SERVICES[`${port}/${protocol}`] ?? COMMON_SERVICES[String(port)];
  const dev = protocol === 'tcp' ? DEV_PORTS[port] : undefined;
  const shown = common ?? dev;
  let answer: ServiceName | null = null;
  if (shown)
    answer = { name: shown, source: common ? 'common' : 'dev', iana: registry === shown ? null : registry };
  else if (registry) answer = { name: registry, source: 'iana', iana: null };
  memo.set(id, answer);
  return answer;
}

/**
 * The text `svc:` and plain words search for a row: the name shown and, when a curated name
 * replaced it, the registry's too (`svc:remoteware` still finds port 3000). The port is whichever
 * of the row's ends gave the shown name.
 */
export function serviceSearchText(
  row: Pick<SocketRow, 'service' | 'protocol' | 'localPort' | 'remotePort'>,
): string {
  if (!row.service) return '';
  for (const port of [row.localPort, row.remotePort]) {
    if (port === null) continue;
    const s = serviceName(port, row.protocol);
    if (s && s.name === row.service) return s.iana ? `${s.name}\u0000${s.iana}` : s.name;
  }
  return row.service;
}
