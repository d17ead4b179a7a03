import type { SocketRow } from '../../../shared/model';

/**
 * Resolve `portscope kill <port>` targets: sockets whose local port is exactly `port` and that
 * hold it — TCP listeners and bound UDP sockets. Clients connected *to* that port are never
 * returned (their local port differs) and neither are connections accepted on it, so killing by
 * port can only reach the process that owns the port.
 */
export function listenersOnPort(rows: SocketRow[], port: number): SocketRow[] {
  return rows.filter(
    (r) =>
      r.localPort === port &&
      ((r.protocol === 'tcp' && r.state === 'LISTEN') ||
        // A bound UDP socket has no peer; sources report it as UNCONN (or without a remote end).
        (r.protocol === 'udp' && (r.state === 'UNCONN' || !r.remotePort))),
  );
}
