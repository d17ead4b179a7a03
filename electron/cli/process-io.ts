import type { Scope } from '../../shared/model';
import type { Engine } from '../core/engine/engine';
import type { RemoteNamer } from '../core/resolve/remote-names';
import type { CliIo, CollectResult } from './io';

/**
 * The engine's default namer (the free loopback / private / link-local labels), remembered per
 * address: a one-shot list asks it once per socket, 25,000 times for a handful of addresses.
 */
export function memoLabels(labels: RemoteNamer): RemoteNamer {
  const seen = new Map<string | null, string | null>();
  return {
    name(address) {
      let name = seen.get(address);
      if (name === undefined) {
        name = labels.name(address);
        seen.set(address, name);
      }
      return name;
    },
  };
}

/**
 * The real world for `main`: process streams and the real engine, imported and created on first
 * use so `portscope --version` and `--help` never load it.
 */
export function processIo(): CliIo {
  let engine: Promise<{ engine: Engine; askEngines: () => void }> | undefined;
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
        const [m, b, r] = await Promise.all([
          import('../core/engine/engine'),
          import('../core/containers/join-behind'),
          import('../core/resolve/remote-names'),
        ]);
        const linux = process.platform === 'linux';
        const behind = linux ? new b.BehindJoin() : null;
        const made = m.createEngine({
          holders: linux ? new h.OneShotHolders(early) : null,
          behind,
          remoteNames: memoLabels(r.localLabels),
        });
        return { engine: made, askEngines: () => void behind?.engines.list().catch(() => {}) };
      });
      const { engine: e, askEngines } = await engine;
      const pending = e.collect(scope);
      // The container engines are asked once the socket dump is under way (collect queued it
      // before returning), not after the rows are built: loading node:http and the connect (a
      // refused one when no engine runs) then use the main thread while it would wait for the
      // kernel. The join finds the answer, or the request in flight, and never asks twice.
      askEngines();
      const result = await pending;
      return { ...result, source: e.sourceName?.() ?? 'unknown' };
    },
    async collectPort(port: number, scope: Scope): Promise<CollectResult> {
      const { collectPort } = await import('./port-collect');
      return collectPort(port, scope);
    },
  };
}
