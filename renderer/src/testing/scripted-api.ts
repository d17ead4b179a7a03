import type {
  ConnectionState,
  HostCapabilities,
  PortscopeApi,
  PushChannel,
  PushPayloads,
  RequestChannel,
  RequestPayload,
  RequestResults,
} from '../../../shared/contract';
import type { Delta, MonitorStatus, Scope, SocketRow } from '../../../shared/model';

/**
 * A PortscopeApi for component tests and the store's own tests: it holds a row set like the engine's
 * Monitor does and turns each `poll(rows)` into a delta the way the engine's diff does (added /
 * removed / changed by key, `seq` + 1; electron/core/diff.ts sits outside the web project, so the
 * same rule is restated here). `dropNext()` loses a delta on the way, as a dropped message would.
 * Not a stand-in for the transport tests: those run the real WebSocket against the real server.
 */
export interface ScriptedApi extends PortscopeApi {
  poll(rows: SocketRow[]): Delta;
  dropNext(): void;
  /** Push this delta again as it is (a duplicate on the wire). */
  deliver(delta: Delta): void;
  setConnection(state: ConnectionState): void;
  /** Every request made, in order: [channel, payload]. */
  requests: [RequestChannel, unknown][];
  seq(): number;
  /** What host:capabilities answers (a browser-mode host by default). */
  capabilities: HostCapabilities;
}

/** Added, removed and changed rows by key, as electron/core/diff.ts computes them. */
function diffRows(prev: Map<string, SocketRow>, next: Map<string, SocketRow>) {
  const added: SocketRow[] = [];
  const changed: SocketRow[] = [];
  const removed: string[] = [];
  for (const [key, row] of next) {
    const old = prev.get(key);
    if (!old) added.push(row);
    else if (JSON.stringify(old) !== JSON.stringify(row)) changed.push(row);
  }
  for (const key of prev.keys()) if (!next.has(key)) removed.push(key);
  return { added, removed, changed };
}

/** Create a scripted api that starts with `rows` as seq 1. */
export function createScriptedApi(initial: SocketRow[] = []): ScriptedApi {
  let rows = new Map(initial.map((r) => [r.key, r]));
  let seq = 1;
  let takenAt = Date.now();
  let drop = false;
  let connection: ConnectionState = 'open';
  let scope: Scope = 'listening';
  let paused = false;
  const listeners = new Map<PushChannel, Set<(p: never) => void>>();
  const connListeners = new Set<(s: ConnectionState) => void>();
  const requests: [RequestChannel, unknown][] = [];

  const status = (): MonitorStatus => ({
    state: paused ? 'paused' : 'polling',
    intervalMs: 1000,
    scope,
    lastUpdate: takenAt,
    stale: false,
    errors: [],
    observed: true,
  });
  const push = <P extends PushChannel>(channel: P, payload: PushPayloads[P]) => {
    for (const l of [...(listeners.get(channel) ?? [])]) (l as (p: PushPayloads[P]) => void)(payload);
  };

  const handlers: { [C in RequestChannel]?: (p: RequestPayload<C>) => RequestResults[C] } = {
    'snapshot:get': () => ({ seq, takenAt, scope, rows: [...rows.values()], errors: [] }),
    'monitor:status': () => status(),
    'monitor:set-scope': (p) => {
      scope = p.scope;
      return status();
    },
    'monitor:pause': () => {
      paused = true;
      return status();
    },
    'monitor:resume': () => {
      paused = false;
      return status();
    },
    'port:open': (p) => ({ opened: false, url: `http://localhost:${p.port}/` }),
    'host:capabilities': () => api.capabilities,
  };

  const api: ScriptedApi = {
    transport: 'websocket',
    capabilities: browserHost(),
    requests,
    seq: () => seq,
    async request(channel, payload) {
      requests.push([channel, payload]);
      const h = handlers[channel] as ((p: unknown) => unknown) | undefined;
      if (!h) throw new Error(`scripted api: ${channel} is not scripted`);
      await Promise.resolve();
      return h(payload) as never;
    },
    on(channel, listener) {
      let set = listeners.get(channel);
      if (!set) {
        set = new Set();
        listeners.set(channel, set);
      }
      set.add(listener as (p: never) => void);
      return () => set.delete(listener as (p: never) => void);
    },
    onConnection(listener) {
      connListeners.add(listener);
      listener(connection);
      return () => connListeners.delete(listener);
    },
    poll(next) {
      const nextMap = new Map(next.map((r) => [r.key, r]));
      const diff = diffRows(rows, nextMap);
      rows = nextMap;
      seq++;
      takenAt = Date.now();
      const delta: Delta = { seq, takenAt, ...diff };
      if (drop) drop = false;
      else push('delta', delta);
      return delta;
    },
    dropNext() {
      drop = true;
    },
    deliver(delta) {
      push('delta', delta);
    },
    setConnection(state) {
      connection = state;
      for (const l of [...connListeners]) l(state);
    },
  };
  return api;
}

/** What `portscope serve` answers to host:capabilities. */
export function browserHost(): HostCapabilities {
  return {
    host: 'browser',
    openUrl: false,
    elevate: false,
    tray: false,
    notifications: false,
    settings: true,
    closeConnection: true,
    closeConnectionReason: null,
  };
}

/** What the Electron main answers to host:capabilities. */
export function desktopHost(): HostCapabilities {
  return {
    host: 'desktop',
    openUrl: true,
    elevate: true,
    tray: true,
    notifications: true,
    settings: true,
    closeConnection: true,
    closeConnectionReason: null,
  };
}

export { testRow } from '../../../shared/testing/rows';
