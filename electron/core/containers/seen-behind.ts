import type { Protocol, SocketRow, SupervisorRef } from '../../../shared/model';
import { holdsPort } from '../../../shared/socket-rules';

/**
 * Whether the rows a client was shown name this container (publishing this port, when one is
 * given, or running a holder of it): an action acts on what the user saw, nothing wider.
 */
export function seenContainer(
  rows: readonly SocketRow[],
  req: { id: string; port: number | null; protocol: Protocol | null },
): boolean {
  return rows.some((r) => {
    if (req.port !== null && !holdsPort(r, req.port, req.protocol)) return false;
    const ids = [r.container?.id, ...r.owners.map((o) => o.process?.container?.id)];
    return ids.some((id) => id && (id.startsWith(req.id) || req.id.startsWith(id)));
  });
}

/** Whether a holder of the port was shown supervised by exactly this supervisor. */
export function seenSupervisor(
  rows: readonly SocketRow[],
  req: { port: number; protocol: Protocol | null; supervisor: SupervisorRef },
): boolean {
  return rows.some(
    (r) =>
      holdsPort(r, req.port, req.protocol) &&
      r.owners.some(
        (o) =>
          o.process?.supervisor?.kind === req.supervisor.kind &&
          o.process.supervisor.name === req.supervisor.name,
      ),
  );
}
