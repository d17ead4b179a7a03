import { addressKind, isWildcardAddress } from '../../../shared/address-kind';
import { labelText } from '../../../shared/socket-rules';

/**
 * Names for remote addresses (the connections view), the way TCPView shows them: getnameinfo
 * (`dns.lookupService`, so /etc/hosts and the system resolver answer) in the background, cached.
 *
 * - Never delays a poll: `name()` answers from the cache at once and queues a lookup; the name
 *   arrives with a later poll (the row changes, the delta carries it).
 * - Loopback and private ranges are labelled without any query (shared/address-kind.ts).
 * - Cached with a TTL, failures too (negative entries, shorter TTL): a machine without DNS (this
 *   one) asks once per address per NEGATIVE_TTL, not every poll.
 * - Bounded: at most `concurrency` lookups in flight, `maxQueue` waiting, `maxEntries` cached;
 *   each lookup has its own time-out.
 * - Switchable: `enabled()` is read on every call (the setting `resolveRemoteNames`); off, only the
 *   free local labels remain.
 */

/** Resolves one address to a host name (null: it has none). */
export type ReverseLookup = (address: string) => Promise<string | null>;

/**
 * getnameinfo through libuv: the name, or null when only the numeric address comes back. The dns
 * module (and c-ares behind it) loads on the first lookup: a one-shot CLI never makes one.
 */
export const getNameInfo: ReverseLookup = async (address) => {
  const { lookupService } = await import('node:dns/promises');
  const { hostname } = await lookupService(address.replace(/^\[(.*)\]$/, '$1'), 0);
  return hostname && hostname !== address ? hostname : null;
};

export interface RemoteNamesOptions {
  lookup?: ReverseLookup;
  enabled?: () => boolean;
  ttlMs?: number;
  negativeTtlMs?: number;
  timeoutMs?: number;
  concurrency?: number;
  maxQueue?: number;
  maxEntries?: number;
  now?: () => number;
}

interface Entry {
  name: string | null;
  at: number;
}

/** Something that names remote addresses for the engine (synchronously, from what it knows). */
export interface RemoteNamer {
  name(address: string | null): string | null;
  /** Goes up whenever a lookup answered: the engine's idle path must not keep rows without the name. */
  version?(): number;
}

/** Only the free labels (loopback, private network, link-local): one-shot commands use this. */
export const localLabels: RemoteNamer = {
  name: (address) => (address === null || isWildcardAddress(address) ? null : addressKind(address)),
};

export class RemoteNames implements RemoteNamer {
  private readonly cache = new Map<string, Entry>();
  private readonly queue: string[] = [];
  private readonly pending = new Set<string>();
  private readonly inFlight = new Set<Promise<void>>();
  private running = 0;
  private answered = 0;
  private readonly o: Required<RemoteNamesOptions>;
  /** Lookups started (tests and benches check the caching). */
  lookups = 0;

  constructor(opts: RemoteNamesOptions = {}) {
    this.o = {
      lookup: opts.lookup ?? getNameInfo,
      enabled: opts.enabled ?? (() => true),
      ttlMs: opts.ttlMs ?? 10 * 60_000,
      negativeTtlMs: opts.negativeTtlMs ?? 2 * 60_000,
      timeoutMs: opts.timeoutMs ?? 5000,
      // getnameinfo runs on libuv's thread pool (4 threads), which the engine's /proc and file reads
      // share: a resolver that hangs may hold at most two of them, never the whole pool.
      concurrency: opts.concurrency ?? 2,
      maxQueue: opts.maxQueue ?? 500,
      maxEntries: opts.maxEntries ?? 10_000,
      now: opts.now ?? Date.now,
    };
  }

  /** The name known now (label, cached name or null); queues a lookup when none is fresh. */
  name(address: string | null): string | null {
    const local = localLabels.name(address);
    if (local !== null || address === null || isWildcardAddress(address)) return local;
    if (!this.o.enabled()) return null;
    const hit = this.cache.get(address);
    const ttl = hit?.name === null ? this.o.negativeTtlMs : this.o.ttlMs;
    if (!hit || this.o.now() - hit.at >= ttl) this.enqueue(address);
    // A stale name is still the best answer until the new one comes.
    return hit?.name ?? null;
  }

  version(): number {
    return this.answered;
  }

  /** Resolves when nothing is queued or in flight (tests; a front door never waits for names). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private enqueue(address: string): void {
    if (this.pending.has(address) || this.queue.length >= this.o.maxQueue) return;
    this.pending.add(address);
    this.queue.push(address);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.queue.length > 0) {
      const address = this.queue.shift() as string;
      this.running++;
      this.lookups++;
      const done: Promise<void> = this.resolveOne(address).finally(() => {
        this.running--;
        this.pending.delete(address);
        this.inFlight.delete(done);
        this.pump();
      });
      this.inFlight.add(done);
    }
  }

  private async resolveOne(address: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), this.o.timeoutMs);
      timer.unref?.();
    });
    let name: string | null = null;
    try {
      name = await Promise.race([this.o.lookup(address), timeout]);
    } catch {
      name = null;
    } finally {
      clearTimeout(timer);
    }
    // A PTR record is somebody else's text: cleaned and cut like every other label.
    const clean = name ? labelText(name).slice(0, 253) || null : null;
    if (this.cache.get(address)?.name !== clean) this.answered++;
    this.cache.delete(address);
    this.cache.set(address, { name: clean, at: this.o.now() });
    if (this.cache.size > this.o.maxEntries) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
