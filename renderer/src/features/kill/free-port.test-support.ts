import type { PortscopeApi, RequestPayload } from '../../../../shared/contract';
import type { FreePortPlan, FreePortResult, SocketRow } from '../../../../shared/model';
import { createKillApi, type KillApi } from '../../testing/support';

/**
 * For the port-free dialog tests: the features' kill api plus scripted answers for port:free-plan
 * and port:free (defaults: one holder, the port is freed). Every request is recorded so a test
 * can check exactly which identities the confirmation sent.
 */
export interface FreePortScript {
  plan?: (p: RequestPayload<'port:free-plan'>) => Partial<FreePortPlan>;
  free?: (p: RequestPayload<'port:free'>) => Partial<FreePortResult>;
}

export interface FreePortApi extends KillApi {
  freeScript: FreePortScript;
  freePlans(): RequestPayload<'port:free-plan'>[];
  frees(): RequestPayload<'port:free'>[];
}

export function createFreePortApi(rows: SocketRow[]): FreePortApi {
  const base = createKillApi(rows);
  const freeScript: FreePortScript = {};
  const inner = base.request;
  const request: PortscopeApi['request'] = async (channel, payload) => {
    if (channel === 'port:free-plan') {
      const p = payload as RequestPayload<'port:free-plan'>;
      base.requests.push([channel, p]);
      await Promise.resolve();
      const plan: FreePortPlan = {
        port: p.port,
        protocol: p.protocol ?? null,
        sockets: [],
        roots: [],
        hidden: [],
        refused: null,
      };
      return { ...plan, ...freeScript.plan?.(p) } as never;
    }
    if (channel === 'port:free') {
      const p = payload as RequestPayload<'port:free'>;
      base.requests.push([channel, p]);
      await Promise.resolve();
      const res: FreePortResult = {
        outcome: 'port-free',
        port: p.port,
        protocol: p.protocol ?? null,
        message: `Port ${p.port}/${p.protocol} is free.`,
        results: [],
        stillHeldBy: [],
        canForce: false,
        canElevate: false,
      };
      return { ...res, ...freeScript.free?.(p) } as never;
    }
    return inner(channel, payload);
  };
  const of = <T>(ch: string) => base.requests.filter(([c]) => c === ch).map(([, p]) => p as T);
  return Object.assign(base, {
    request,
    freeScript,
    freePlans: () => of<RequestPayload<'port:free-plan'>>('port:free-plan'),
    frees: () => of<RequestPayload<'port:free'>>('port:free'),
  });
}
