import type { ProcessInfo, SocketRow } from '../../shared/model';
import { containerText, supervisorText } from '../../shared/socket-rules';

/**
 * `who`'s lines for what is behind a holder: the container that publishes the port (docker-proxy
 * rows) or that the holder runs in, and the service that restarts it. Hostile text made safe.
 */
export function behindLines(row: SocketRow, p: ProcessInfo | null): string[] {
  const out: string[] = [];
  const c = row.container ?? p?.container ?? null;
  if (c) {
    const port = c.containerPort ? `, container port ${c.containerPort}` : '';
    out.push(`  container ${containerText(c)}, id ${c.id}${port} (${c.engine})`);
    if (row.container) out.push(`  action   portscope kill ${row.localPort} stops the container`);
  }
  if (p?.supervisor) out.push(`  service  ${supervisorText(p.supervisor)}`);
  return out;
}
