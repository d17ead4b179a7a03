import type { Scope } from '../../shared/model';
import type { Engine } from '../core/engine/engine';
import type { CliIo, CollectResult } from './io';

/**
 * The real world for `main`: process streams and the real engine, imported and created on first
 * use so `portscope --version` and `--help` never load it.
 */
export function processIo(): CliIo {
  let engine: Promise<Engine> | undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    async collect(scope: Scope): Promise<CollectResult> {
      // One snapshot per run: holders from one lean pass over /proc, not the monitor's index,
      // begun on a worker thread before the engine is even loaded (see startEarlyScan).
      engine ??= import('./one-shot-holders').then(async (h) => {
        const early = h.startEarlyScan();
        const m = await import('../core/engine/engine');
        return m.createEngine({ holders: process.platform === 'linux' ? new h.OneShotHolders(early) : null });
      });
      const e = await engine;
      const result = await e.collect(scope);
      return { ...result, source: e.sourceName?.() ?? 'unknown' };
    },
    async collectPort(port: number, scope: Scope): Promise<CollectResult> {
      const { collectPort } = await import('./port-collect');
      return collectPort(port, scope);
    },
  };
}
