import { userInfo } from 'node:os';
import {
  ApiError,
  type HostCapabilities,
  isRequestChannel,
  type ParsedRequest,
  type PushChannel,
  type PushPayloads,
  parseRequest,
  type RequestChannel,
  type RequestResults,
} from '../../../shared/contract';
import type { ActionEvent, HistoryResult } from '../../../shared/history';
import type {
  ConnectionRef,
  ContainerRef,
  FreePortPlan,
  FreePortResult,
  KillPlan,
  KillResult,
  ProcessIdentity,
  ProcessInfo,
  Protocol,
  Snapshot,
  SocketRow,
} from '../../../shared/model';
import type { Settings } from '../../../shared/settings';
import { closableConnection } from '../../../shared/socket-rules';
import { type ConnectionCloser, createConnectionCloser } from '../connections/close-connection';
import { type BehindActions, createBehindActions } from '../containers/behind-actions';
import { seenContainer, seenSupervisor } from '../containers/seen-behind';
import { historyRequest, noHistory } from '../history/history-api';
import type { HistoryQuery } from '../history/history-query';
import { historyContainer } from '../history/recording-killer';
import type { MonitorEvent, MonitorView, ViewOptions } from '../monitor/monitor';
import { SettingsError, type SettingsStore } from '../settings/settings';

/**
 * The transport-agnostic api: the contract's channel map implemented on the Monitor and the kill
 * engine. Electron IPC and the browser-mode WebSocket both wrap this one object, so validation and
 * the "only kill what the user saw" rule live in exactly one place. Each window or tab connects as
 * its own client with its own monitor view (scope, pause, seq); kills, settings and the interval are
 * the machine's and shared.
 */

/** The part of the Monitor (electron/core/monitor/monitor.ts) the api uses. */
export interface ApiMonitor {
  /** One view per client: its own scope, pause, seq and status. */
  subscribe(options: ViewOptions, listener: (ev: MonitorEvent) => void): MonitorView;
  setIntervalMs(ms: number): number;
  intervalMsNow(): number;
  current(): Snapshot | null;
  hasSeen(identity: ProcessIdentity): boolean;
  processFor(pid: number): ProcessInfo | null;
  /** CPU and memory sampled now for a shown process (polls do not sample them). */
  usageOf?(pid: number): Promise<ProcessInfo | null>;
}

/** The part of the Killer (electron/core/kill/index.ts) the api uses. */
export interface ApiKiller {
  plan(target: ProcessIdentity, tree: boolean, rows: SocketRow[]): Promise<KillPlan>;
  kill(req: {
    target: ProcessIdentity;
    force: boolean;
    tree: boolean;
    elevate: boolean;
    ports?: { protocol: Protocol; port: number }[];
  }): Promise<KillResult>;
  planFreePort(port: number, protocol: Protocol | null, rows: SocketRow[]): Promise<FreePortPlan>;
  freePort(req: {
    port: number;
    protocol: Protocol | null;
    seen: ProcessIdentity[];
    force: boolean;
    elevate: boolean;
  }): Promise<FreePortResult>;
}

export interface ApiDeps {
  monitor: ApiMonitor;
  killer: ApiKiller;
  /** Opens a URL in the user's browser; absent in the browser mode (the page opens it itself). */
  openUrl?: (url: string) => Promise<boolean>;
  /** The settings file (electron/core/settings.ts), already loaded; without it settings:* refuse. */
  settings?: Pick<SettingsStore, 'get' | 'update'>;
  /** The notice that store's load() returned: handed to the first settings:get, then forgotten. */
  settingsNotice?: string | null;
  /** Where the full text of an unexpected failure goes (the page gets a short form); default stderr. */
  logError?: (channel: string, error: unknown) => void;
  /** The port history (electron/core/history); without it history:query answers with a notice. */
  history?: { query(q: HistoryQuery): Promise<HistoryResult> };
  /** What this front door's host can do (default: the browser mode, which can do none of these). */
  capabilities?: HostFeatures;
  /** Closes one TCP connection (default: SOCK_DESTROY through the netlink addon, made on first use). */
  connections?: Pick<ConnectionCloser, 'support' | 'close'>;
  /** Stop / Restart container, Stop service (default: through the local engines and supervisors). */
  behind?: BehindActions;
  /** Records Stop container / Stop service / Close connection in the port history (kills record themselves). */
  recordAction?: (e: Omit<ActionEvent, 't' | 'kind' | 'by'>) => Promise<void>;
}

/**
 * The capabilities a front door states; `settings` follows from whether a settings store exists,
 * closing a connection from the platform and the addon (connections/close-connection.ts).
 */
export type HostFeatures = Omit<HostCapabilities, 'settings' | 'closeConnection' | 'closeConnectionReason'>;

/** The browser mode: the page opens URLs itself, no elevation prompt, no tray, notifications in the page. */
export const BROWSER_HOST: HostFeatures = {
  host: 'browser',
  openUrl: false,
  elevate: false,
  tray: false,
  notifications: false,
};

/**
 * An unexpected failure as the page sees it: the first line of the message, absolute paths cut to
 * their last part, at most 200 characters. The full error goes to the log, not over the wire.
 */
export function publicMessage(e: unknown): string {
  const raw = e instanceof Error ? e.message : String(e);
  const line = raw.split('\n', 1)[0] ?? '';
  const code = (e as { code?: unknown })?.code;
  const short = line.replace(/(?:[A-Za-z]:)?[\\/](?:[^\s'"\\/]+[\\/])+([^\s'"\\/]*)/g, '…/$1').slice(0, 200);
  return typeof code === 'string' && !short.includes(code) ? `${short} (${code})` : short;
}

/** Sends one push to one client (a window, a tab). */
export type PushFn = <P extends PushChannel>(channel: P, payload: PushPayloads[P]) => void;

/** One client of the core (a window's webContents, a browser tab's socket, the desktop shell). */
export interface ApiClient {
  /** Validate and run one request for this client; throws ApiError on bad input (and does nothing else). */
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Whether someone looks at this client now (a hidden window is not): polls slow down when nobody does. */
  setObserved(observed: boolean): void;
  /** Stop this client's pushes and drop its view. Idempotent. */
  close(): void;
}

/** What every front door calls: one client per window or tab, each with its own view. */
export interface PortscopeCore {
  /**
   * A new client: `push` gets this client's deltas (numbered with its own seq), its status and
   * every settings change. monitor:set-scope, monitor:pause/resume, snapshot:get and monitor:status
   * act on this client's view only.
   */
  connect(push: PushFn, options?: ViewOptions): ApiClient;
}

const NOT_SEEN_CONTAINER =
  'Portscope has not shown this container on that port, so it will not stop it. Refresh and pick it from the table.';

const NOT_SEEN =
  'Portscope has not shown this process (or it has since changed), so it will not send it a signal. Refresh and pick it from the table.';

/** Sockets the monitor currently shows for this exact process (same PID and, when known, start identity). */
function rowsOf(monitor: ApiMonitor, target: ProcessIdentity): SocketRow[] {
  const rows = monitor.current()?.rows ?? [];
  return rows.filter((r) => r.pid === target.pid && (!r.process || r.process.startId === target.startId));
}

/** Listening ports of those sockets: what "the port was released" means to the user. */
function listeningPorts(rows: SocketRow[]): { protocol: Protocol; port: number }[] {
  const seen = new Map<string, { protocol: Protocol; port: number }>();
  for (const r of rows) {
    if (r.state !== 'LISTEN' && r.state !== 'UNCONN') continue;
    seen.set(`${r.protocol}:${r.localPort}`, { protocol: r.protocol, port: r.localPort });
  }
  return [...seen.values()];
}

function refusedPlan(target: ProcessIdentity, reason: string): KillPlan {
  return { target, process: null, sockets: [], children: [], refused: reason };
}

/**
 * The identities of `req.seen` the monitor could have shown for this port: the topmost holders it
 * has seen and the trees planned under them from its current rows. Anything else a client names
 * is dropped, so a page can never widen a kill beyond what Portscope itself would plan.
 */
async function shownHolders(
  monitor: ApiMonitor,
  killer: ApiKiller,
  req: { port: number; protocol: Protocol | null; seen: ProcessIdentity[] },
): Promise<ProcessIdentity[]> {
  const plan = await killer.planFreePort(req.port, req.protocol, monitor.current()?.rows ?? []);
  const allowed = new Set<string>();
  for (const root of plan.roots) {
    if (!monitor.hasSeen(root.target)) continue;
    allowed.add(`${root.target.pid}|${root.target.startId}`);
    for (const c of root.children) allowed.add(`${c.pid}|${c.startId}`);
  }
  return req.seen.filter((id) => allowed.has(`${id.pid}|${id.startId}`));
}

function refusedFree(req: { port: number; protocol: Protocol | null }, message: string): FreePortResult {
  const base = { port: req.port, protocol: req.protocol, results: [], stillHeldBy: [] };
  return { ...base, outcome: 'refused', message, canForce: false, canElevate: false };
}

function refusedResult(pid: number, message: string): KillResult {
  return { outcome: 'refused', pid, message, signals: [], canForce: false, canElevate: false };
}

/** The user the engine runs as: the owner whose processes count as "my own". */
function currentUser(): string | null {
  try {
    return userInfo().username || null;
  } catch {
    return null; // no passwd entry (some containers)
  }
}

const NO_SETTINGS = 'Settings are not available here: this Portscope runs without a settings file.';

/** Unexpected failures in full, for whoever runs Portscope (the terminal, the app's log). */
function defaultLogError(channel: string, e: unknown): void {
  process.stderr.write(
    `portscope: ${channel} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
}

/** Build the api object on a Monitor and a Killer; front doors call connect() once per window or tab. */
export function createApi(deps: ApiDeps): PortscopeCore {
  const { monitor, killer, openUrl } = deps;
  let notice = deps.settingsNotice ?? null;
  const settingsListeners = new Set<(settings: Settings) => void>();
  const settingsStore = () => {
    if (!deps.settings) throw new ApiError('refused', NO_SETTINGS);
    return deps.settings;
  };

  const capabilities = deps.capabilities ?? BROWSER_HOST;
  let closer = deps.connections;
  const connections = () => {
    closer ??= createConnectionCloser();
    return closer;
  };
  let behind = deps.behind;
  const actions = () => {
    behind ??= createBehindActions();
    return behind;
  };

  /** Record an action that is not a kill in the port history (kills record themselves). */
  const record = async (
    action: 'stop' | 'close',
    about: { ports: number[]; protocol: Protocol | null; container?: ContainerRef | null },
    res: { outcome: string; message: string },
  ) =>
    deps.recordAction?.({
      action,
      ports: about.ports,
      protocol: about.protocol,
      targets: [],
      container: historyContainer(about.container),
      signals: [],
      outcome: res.outcome,
      message: res.message,
    });

  /** A connection exactly as a row of the table showed it (cookie and 4-tuple). */
  const shownConnection = (ref: ConnectionRef): boolean =>
    (monitor.current()?.rows ?? []).some((r) => {
      const c = closableConnection(r);
      return c !== null && JSON.stringify(c) === JSON.stringify(ref);
    });

  /** `view` is the calling client's: scope, pause, snapshot and status are per client. */
  const handlers: {
    [C in RequestChannel]: (req: ParsedRequest<C>, view: MonitorView) => Promise<RequestResults[C]>;
  } = {
    'snapshot:get': (_req, view) => view.freshSnapshot(),
    'monitor:pause': async (_req, view) => view.pause(),
    'monitor:resume': async (_req, view) => view.resume(),
    // The interval is the machine's (one poll loop, a saved setting): it changes for every client.
    'monitor:set-interval': async (req, view) => {
      monitor.setIntervalMs(req.intervalMs);
      return view.status();
    },
    'monitor:set-scope': async (req, view) => view.setScope(req.scope, { resync: req.resync === true }),
    'monitor:status': async (_req, view) => view.status(),
    'kill:plan': async (req) => {
      // A kill is only ever planned for an identity the user could have seen in the table.
      if (!monitor.hasSeen(req.target)) return refusedPlan(req.target, NOT_SEEN);
      return killer.plan(req.target, req.tree, monitor.current()?.rows ?? []);
    },
    'kill:run': async (req) => {
      if (!monitor.hasSeen(req.target)) return refusedResult(req.target.pid, NOT_SEEN);
      return killer.kill({
        target: req.target,
        force: req.force,
        tree: req.tree,
        elevate: req.elevate,
        ports: listeningPorts(rowsOf(monitor, req.target)),
      });
    },
    'port:free-plan': async (req) =>
      killer.planFreePort(req.port, req.protocol, monitor.current()?.rows ?? []),
    'port:free': async (req) => {
      const seen = await shownHolders(monitor, killer, req);
      if (seen.length === 0) return refusedFree(req, NOT_SEEN);
      return killer.freePort({ ...req, seen });
    },
    'host:capabilities': async () => {
      const close = connections().support();
      return {
        ...capabilities,
        settings: Boolean(deps.settings),
        closeConnection: close.supported,
        closeConnectionReason: close.reason,
      };
    },
    // The closer re-reads the kernel's table and acts only on the same cookie + 4-tuple; an
    // administrator prompt only where this host has one.
    'connection:close': async (req) => {
      // Like a kill: only a connection the table has shown (same cookie, same 4-tuple).
      if (!shownConnection(req.connection)) {
        throw new ApiError('refused', 'Portscope has not shown this connection; refresh and try again.');
      }
      const res = await connections().close(req.connection, { elevate: req.elevate && capabilities.elevate });
      await record('close', { ports: [req.connection.localPort], protocol: 'tcp' }, res);
      return res;
    },
    'port:open': async (req) => {
      const snapshot = monitor.current();
      const listening = snapshot?.rows.some(
        (r) => r.protocol === 'tcp' && r.state === 'LISTEN' && r.localPort === req.port,
      );
      if (snapshot && !listening) {
        throw new ApiError('not-found', `Nothing is listening on TCP port ${req.port} any more.`);
      }
      // Built only from the validated integer: no other text reaches the browser launcher.
      const url = `http://localhost:${req.port}/`;
      if (!openUrl) return { opened: false, url };
      return { opened: await openUrl(url), url };
    },
    'process:usage': async (req) => {
      // Only processes the engine has shown (its cache): this is not a general process inspector.
      const p = monitor.usageOf ? await monitor.usageOf(req.pid) : monitor.processFor(req.pid);
      return p ? { pid: req.pid, startId: p.startId, cpu: p.cpu, memory: p.memory } : null;
    },
    'settings:get': async () => {
      const settings = settingsStore().get();
      // Told once: a second window (or a reload) must not repeat "your file was repaired".
      const once = notice;
      notice = null;
      return { settings, notice: once, currentUser: currentUser() };
    },
    'settings:update': async (req) => {
      const store = settingsStore();
      let next: Settings;
      try {
        next = await store.update(req.patch);
      } catch (e) {
        if (e instanceof SettingsError) throw new ApiError('invalid-request', e.message);
        throw e;
      }
      // The engine's own side of a setting; the shells (tray, theme, login item) follow the push.
      if (req.patch.pollIntervalMs !== undefined && monitor.intervalMsNow() !== next.pollIntervalMs) {
        monitor.setIntervalMs(next.pollIntervalMs);
      }
      for (const l of [...settingsListeners]) l(next);
      return next;
    },
    // Only a container (and port) the table has shown; the engine is asked again before it acts.
    'container:stop': async (req) => {
      if (!seenContainer(monitor.current()?.rows ?? [], req))
        throw new ApiError('refused', NOT_SEEN_CONTAINER);
      const res = await actions().container({ ...req, action: 'stop' });
      const ports = req.port === null ? [] : [req.port];
      await record('stop', { ports, protocol: req.protocol, container: res.container }, res);
      return res;
    },
    'container:restart': async (req) => {
      if (!seenContainer(monitor.current()?.rows ?? [], req))
        throw new ApiError('refused', NOT_SEEN_CONTAINER);
      return actions().container({ ...req, action: 'restart' });
    },
    'service:stop': async (req) => {
      if (!seenSupervisor(monitor.current()?.rows ?? [], req))
        throw new ApiError(
          'refused',
          'Portscope has not shown this service on that port; refresh and try again.',
        );
      const res = await actions().stopService(req);
      await record('stop', { ports: [req.port], protocol: req.protocol }, res);
      return res;
    },
    'history:query': async (req) => {
      const q = historyRequest(req, Date.now());
      return deps.history ? deps.history.query(q) : noHistory(q);
    },
  };

  const run = async (channel: string, payload: unknown, view: MonitorView): Promise<unknown> => {
    if (!isRequestChannel(channel)) {
      throw new ApiError('unknown-channel', `Unknown channel: ${String(channel).slice(0, 64)}`);
    }
    const parsed = parseRequest(channel, payload);
    const handler = handlers[channel] as (req: unknown, view: MonitorView) => Promise<unknown>;
    try {
      return await handler(parsed, view);
    } catch (e) {
      if (e instanceof ApiError) throw e;
      (deps.logError ?? defaultLogError)(channel, e);
      throw new ApiError('internal', `Portscope failed to handle ${channel}: ${publicMessage(e)}`);
    }
  };

  return {
    connect(push, options = {}) {
      let closed = false;
      const onSettings = (settings: Settings) => push('settings', settings);
      settingsListeners.add(onSettings);
      const view = monitor.subscribe(options, (ev) => {
        // The client fetches its snapshot with snapshot:get; pushes carry only what changes.
        if (closed) return;
        if (ev.type === 'delta') push('delta', ev.delta);
        else if (ev.type === 'status') push('status', ev.status);
      });
      return {
        invoke: (channel, payload) => run(channel, payload, view),
        setObserved: (observed) => view.setObserved(observed),
        close() {
          if (closed) return;
          closed = true;
          settingsListeners.delete(onSettings);
          view.close();
        },
      };
    },
  };
}
