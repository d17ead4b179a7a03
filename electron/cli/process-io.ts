import type { Scope } from '../../shared/model';
import { createEngine } from '../core/engine/engine';
import type { CliIo, CollectResult } from './io';

/**
 * The real world for `main`: process streams and the real engine, created on first use so
 * `portscope --help` never pays for it.
 */
export function processIo(): CliIo {
  let engine: ReturnType<typeof createEngine> | undefined;
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    async collect(scope: Scope): Promise<CollectResult> {
      engine ??= createEngine();
      const result = await engine.collect(scope);
      return { ...result, source: engine.sourceName?.() ?? 'unknown' };
    },
  };
}
