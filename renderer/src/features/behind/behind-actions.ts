import type { FreePortResult, SocketRow } from '../../../../shared/model';
import { containerText, supervisorText } from '../../../../shared/socket-rules';
import { getApi } from '../../api';
import { toast } from '../toast';

/**
 * Stop / Restart container and Stop service from the UI. Each asks first, naming the container
 * (name, image, id) or the service, like a kill; the engine re-checks what it acts on (the same
 * container still publishes the port; the service still runs its holder).
 */

/** The primary action's name for a row a container publishes. */
export function stopContainerLabel(row: SocketRow): string {
  return `Stop container ${row.container?.name ?? ''}`.trim();
}

/** Confirm, then stop (or restart) the container that publishes the row's port. */
export async function containerAction(row: SocketRow, action: 'stop' | 'restart'): Promise<void> {
  const c = row.container;
  if (!c) return;
  const verb = action === 'stop' ? 'Stop' : 'Restart';
  const question = `${verb} container ${containerText(c)}, id ${c.id}?\n\nIt publishes port ${row.localPort}/${row.protocol}${c.containerPort ? ` (container port ${c.containerPort})` : ''}.${action === 'stop' ? ' The port is freed when it has stopped.' : ''}`;
  if (!window.confirm(question)) return;
  const channel = action === 'stop' ? 'container:stop' : 'container:restart';
  try {
    const res = await getApi().request(channel, { id: c.id, port: row.localPort, protocol: row.protocol });
    const ok = res.outcome === 'stopped' || res.outcome === 'restarted';
    toast(res.message, ok && res.portFree !== false ? 'success' : 'error');
  } catch (e) {
    toast(`Could not ${action} container ${c.name}: ${(e as Error).message}`, 'error');
  }
}

/** After "restarted by nginx.service": confirm, then stop the service that keeps the port taken. */
export async function stopServiceFor(res: FreePortResult): Promise<boolean> {
  const sup = res.restartedBy;
  if (!sup || sup.kind === 'parent') return false;
  if (!window.confirm(`Stop ${supervisorText(sup)}? It restarts whatever holds port ${res.port}.`))
    return false;
  try {
    const out = await getApi().request('service:stop', {
      port: res.port,
      protocol: res.protocol,
      supervisor: sup,
      elevate: false,
    });
    toast(out.message, out.outcome === 'stopped' ? 'success' : 'error');
    return out.outcome === 'stopped';
  } catch (e) {
    toast(`Could not stop ${supervisorText(sup)}: ${(e as Error).message}`, 'error');
    return false;
  }
}
