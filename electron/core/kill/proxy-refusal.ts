import type { FreePortPlan } from '../../../shared/model';
import { containerText, isPortProxy, safeText } from '../../../shared/socket-rules';
import type { ProcEntry } from './proc-table';

/**
 * Why a container's port forwarder (docker-proxy, rootlessport, slirp4netns, pasta) is not
 * signalled: ending it breaks the port mapping while the container keeps running, and the
 * engine may not recreate it. Stop the container instead. null for every other process.
 */
export function proxyRefusal(entry: Pick<ProcEntry, 'name'> | null): string | null {
  if (!entry || !isPortProxy(entry.name)) return null;
  return `${safeText(entry.name)} only forwards a container's published port; ending it would break the port mapping while the container keeps running. Stop the container instead`;
}

/**
 * A port a container publishes is freed by stopping the container: the plan names it and sends
 * no signal (its docker-proxy is refused anyway; a port with no host socket has nobody to signal).
 */
export function withContainer(plan: FreePortPlan): FreePortPlan {
  const container = plan.sockets.find((s) => s.container)?.container ?? null;
  if (!container) return plan;
  return {
    ...plan,
    container,
    refused: `Port ${plan.port} is published by container ${containerText(container)}: stop the container to free it.`,
  };
}
