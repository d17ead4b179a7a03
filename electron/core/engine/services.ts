import type { Protocol } from '../../../shared/model';
import { type ServiceName, serviceName } from '../../../shared/service-names';

export type { ServiceName } from '../../../shared/service-names';

/**
 * The engine's hook for service names: curated common names, then development ports, then the
 * IANA registry (shared/service-names.ts; the registry is a compact generated string, parsed on
 * first use, so no 0.7 MB JSON is read at start).
 */
export function lookupServiceName(port: number, protocol: Protocol): ServiceName | null {
  return serviceName(port, protocol);
}

/** The service name for (port, protocol), e.g. (5432,'tcp') → 'postgresql'; null when unnamed. */
export function lookupService(port: number, protocol: Protocol): string | null {
  return serviceName(port, protocol)?.name ?? null;
}
