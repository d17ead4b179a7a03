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
      // One snapshot per run: holders from one lean pass over /proc, not the monitor's index.
      engine ??= Promise.all([import('../core/engine/engine'), import('./one-shot-holders')]).then(([m, h]) =>
        m.createEngine({ holders: process.platform === 'linux' ? new h.OneShotHolders() : null }),
      );
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
