import type { FreePortResult, KillResult, Scope } from '../../../shared/model';
import type { Engine } from '../engine/engine';
import type { Killer } from '../kill';

/**
 * Taps the composition root puts between the monitor and its engine, and between the api and the
 * killer, so a plugin (metrics) hears every poll's duration and every kill's result without the
 * engine, the monitor or the api knowing about it.
 */

export type PollListener = (ms: number, scope: Scope) => void;
export type KillListener = (result: KillResult) => void;

/** A listener set that never lets one listener's failure reach the caller. */
export function listenerSet<A extends unknown[]>() {
  const listeners = new Set<(...args: A) => void>();
  return {
    add(listener: (...args: A) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(...args: A): void {
      for (const l of [...listeners]) {
        try {
          l(...args);
        } catch {
          // A metric that fails to count must not fail a poll or a kill.
        }
      }
    },
  };
}

/** The engine, with each collect()'s duration told to `onPoll` (aborted or failed polls too). */
export function timedEngine(engine: Engine, onPoll: PollListener): Engine {
  const timed: Engine = {
    async collect(scope, signal) {
      const start = performance.now();
      try {
        return await engine.collect(scope, signal);
      } finally {
        onPoll(performance.now() - start, scope);
      }
    },
  };
  if (engine.processFor) timed.processFor = (pid) => engine.processFor?.(pid) ?? null;
  if (engine.sourceName) timed.sourceName = () => engine.sourceName?.() ?? '';
  return timed;
}

/** The killer, with every process tree it signalled told to `onKill` (free-port: one per root). */
export function observedKiller(killer: Killer, onKill: KillListener): Killer {
  return {
    plan: (...args) => killer.plan(...args),
    planFreePort: (...args) => killer.planFreePort(...args),
    async kill(req) {
      const result = await killer.kill(req);
      onKill(result);
      return result;
    },
    async freePort(req) {
      const result: FreePortResult = await killer.freePort(req);
      for (const r of result.results) onKill(r);
      return result;
    },
  };
}
