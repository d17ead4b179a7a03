import type { PortscopeApi, RequestPayload } from '../../../shared/contract';
import type { KillPlan, KillResult } from '../../../shared/model';
import { createScriptedApi, type ScriptedApi } from './scripted-api';

/**
 * For the features' component tests: the store's scripted api (real diffs, real seq numbers) plus
 * scripted answers for kill:plan and kill:run. Every request is recorded, so a test can check the
 * exact identity a confirmation sent. The real engine path is covered by the e2e specs.
 */
export interface KillScript {
  plan?: (p: RequestPayload<'kill:plan'>) => Partial<KillPlan>;
  run?: (p: RequestPayload<'kill:run'>) => Partial<KillResult>;
}

export interface KillApi extends ScriptedApi {
  script: KillScript;
  /** The kill:run payloads in order. */
  runs(): RequestPayload<'kill:run'>[];
  plans(): RequestPayload<'kill:plan'>[];
}

/** A scripted api that also answers kill:plan / kill:run (defaults: plan ok, the process exits). */
export function createKillApi(...args: Parameters<typeof createScriptedApi>): KillApi {
  const base = createScriptedApi(...args);
  const script: KillScript = {};
  const baseRequest = base.request.bind(base);
  const request: PortscopeApi['request'] = async (channel, payload) => {
    if (channel === 'kill:plan') {
      const p = payload as RequestPayload<'kill:plan'>;
      base.requests.push([channel, p]);
      await Promise.resolve();
      const plan: KillPlan = { target: p.target, process: null, sockets: [], children: [], refused: null };
      return { ...plan, ...script.plan?.(p) } as never;
    }
    if (channel === 'kill:run') {
      const p = payload as RequestPayload<'kill:run'>;
      base.requests.push([channel, p]);
      await Promise.resolve();
      const res: KillResult = {
        outcome: 'exited',
        pid: p.target.pid,
        message: `PID ${p.target.pid} exited.`,
        signals: [{ pid: p.target.pid, signal: p.force ? 'SIGKILL' : 'SIGTERM' }],
        canForce: false,
        canElevate: false,
      };
      return { ...res, ...script.run?.(p) } as never;
    }
    return baseRequest(channel, payload);
  };
  const of = <T>(ch: string) => base.requests.filter(([c]) => c === ch).map(([, p]) => p as T);
  return Object.assign(base, {
    request,
    script,
    runs: () => of<RequestPayload<'kill:run'>>('kill:run'),
    plans: () => of<RequestPayload<'kill:plan'>>('kill:plan'),
  });
}
