import { z } from 'zod';
import type {
  BridgeMethodName,
  BridgePushMethodName,
  bridgeMethods,
  bridgePushMethods,
  PushChannel,
  RequestChannel,
} from './channels';
import type { HistoryResult } from './history';
import { isAddress } from './ip-address';
import type {
  CloseConnectionResult,
  ContainerActionResult,
  Delta,
  FreePortPlan,
  FreePortResult,
  KillPlan,
  KillResult,
  MonitorStatus,
  ProcessUsage,
  ServiceStopResult,
  Snapshot,
} from './model';
import { type Settings, settingsPatchSchema } from './settings';
import { pidSchema, portSchema } from './validate';

/**
 * The one contract between the engine's front doors (Electron IPC, the browser-mode WebSocket)
 * and the renderer. Every request channel has a zod schema for its payload; both sides derive
 * their types from this map. Adding a channel here is the only way to add one anywhere.
 */

const empty = z.object({}).strict();

const identity = z.object({ pid: pidSchema, startId: z.string().min(1).max(64) }).strict();

/** The port a "free this port" request is about; protocol null/absent = every protocol. */
const portRef = z
  .object({ port: portSchema, protocol: z.enum(['tcp', 'udp']).nullable().default(null) })
  .strict();
/** The holders the user was shown in the confirmation: nothing outside this list is ever signalled. */
const seenHolders = z.array(identity).min(1).max(256);

/**
 * A TCP connection as the user saw it: the full 4-tuple and the socket cookie (decimal, as the row
 * key has it). Addresses are checked against the family; nothing else is accepted.
 */
const connectionRef = z
  .object({
    protocol: z.literal('tcp'),
    family: z.union([z.literal(4), z.literal(6)]),
    localAddress: z.string().max(45),
    localPort: portSchema,
    remoteAddress: z.string().max(45),
    remotePort: portSchema,
    cookie: z.string().regex(/^\d{1,20}$/),
  })
  .strict()
  .refine((c) => isAddress(c.localAddress, c.family) && isAddress(c.remoteAddress, c.family), {
    message: 'addresses must be valid for the family',
  });

/**
 * A container the user saw on a row: its id as the engine gave it (12 or 64 lower-case hex), and
 * the port they saw it publish (re-checked before the engine is asked to act).
 */
const containerTarget = z
  .object({
    id: z.string().regex(/^[0-9a-f]{12,64}$/),
    port: portSchema.nullable().default(null),
    protocol: z.enum(['tcp', 'udp']).nullable().default(null),
  })
  .strict();

/** The supervisor a row named; the command is derived again from the live holder, never from this text. */
const supervisorSchema = z
  .object({
    kind: z.enum(['systemd', 'supervisord', 'runit', 'launchd', 'windows-service', 'parent']),
    name: z.string().regex(/^[A-Za-z0-9_.:@\\-]{1,255}$/),
    scope: z.enum(['system', 'user']).optional(),
  })
  .strict();

/** Request payload schemas, by channel. */
export const requestSchemas = {
  'snapshot:get': empty,
  'monitor:pause': empty,
  'monitor:resume': empty,
  'monitor:set-interval': z.object({ intervalMs: z.number().int().min(250).max(60_000) }).strict(),
  /**
   * This client's scope. `resync`: the client asks for a snapshot next (snapshot:get), so no delta is
   * sent for the change nor until that snapshot (it would cross the socket only to be dropped).
   */
  'monitor:set-scope': z
    .object({ scope: z.enum(['listening', 'all']), resync: z.boolean().optional() })
    .strict(),
  'monitor:status': empty,
  /** What a kill of this identity would do (shown in the confirmation; nothing is sent). */
  'kill:plan': z.object({ target: identity, tree: z.boolean().default(false) }).strict(),
  /** Kill the process the user saw. `force` sends SIGKILL (after re-checking identity). */
  'kill:run': z
    .object({
      target: identity,
      force: z.boolean().default(false),
      tree: z.boolean().default(false),
      elevate: z.boolean().default(false),
    })
    .strict(),
  /**
   * What freeing a port would do: every holder of its listening sockets, as the topmost holders'
   * trees (nothing is sent).
   */
  'port:free-plan': portRef,
  /**
   * Free a port: end the holders the user saw in the plan (`seen`), each identity re-checked before
   * every signal; succeeds only when no listening socket holds the port any more.
   */
  'port:free': portRef
    .extend({
      seen: seenHolders,
      force: z.boolean().default(false),
      elevate: z.boolean().default(false),
    })
    .strict(),
  /** What this host can do (tray, opening URLs, elevation…): asked once, never guessed from the transport. */
  'host:capabilities': empty,
  /** Open http://localhost:<port> in the user's browser (TCP listeners only). */
  'port:open': z.object({ port: portSchema }).strict(),
  /**
   * Fresh CPU and memory of a process the table shows (the details panel polls it while open).
   * Deltas leave CPU/memory wiggles out, so a busy process does not resend all its sockets.
   */
  'process:usage': z.object({ pid: pidSchema }).strict(),
  /** The user's settings, plus a one-time notice when the file had to be repaired at load. */
  'settings:get': empty,
  /** Change some settings; every field is validated, unknown keys are an error. */
  'settings:update': z.object({ patch: settingsPatchSchema }).strict(),
  /**
   * Close one TCP connection the user saw: destroyed only while the same cookie still holds that
   * 4-tuple (re-checked right before), success only when it is gone. `elevate`: retry with
   * administrator rights after a permission-denied answer.
   */
  'connection:close': z.object({ connection: connectionRef, elevate: z.boolean().default(false) }).strict(),
  /** Stop the container that publishes a port (through its engine's API), as the user saw it. */
  'container:stop': containerTarget,
  'container:restart': containerTarget,
  /** Stop the service (systemd unit, supervisord program, runit service) that keeps restarting a port's holder. */
  'service:stop': portRef
    .extend({ supervisor: supervisorSchema, elevate: z.boolean().default(false) })
    .strict(),
  /**
   * The port history between `from` and `to` (ms since the epoch; default: the last 24 hours up to
   * now), narrowed to one port or by the filter language.
   */
  'history:query': z
    .object({
      from: z.number().int().min(0).optional(),
      to: z.number().int().min(0).optional(),
      port: portSchema.optional(),
      filter: z.string().max(500).optional(),
    })
    .strict()
    .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, 'from must not be after to'),
} as const satisfies Record<RequestChannel, z.ZodType>;

export {
  type BridgeMethodName,
  type BridgePushMethodName,
  bridgeMethods,
  bridgePushMethods,
  bridgeSurface,
  ipcChannel,
  isPushChannel,
  type PushChannel,
  pushChannels,
  type RequestChannel,
  requestChannels,
} from './channels';

/** Compile-time check: the schemas cover exactly the channel list (no schema without a channel). */
type Exactly<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const schemasMatchChannels: Exactly<keyof typeof requestSchemas, RequestChannel> = true;
void schemasMatchChannels;
export type RequestPayload<C extends RequestChannel> = z.input<(typeof requestSchemas)[C]>;
export type ParsedRequest<C extends RequestChannel> = z.output<(typeof requestSchemas)[C]>;

/** Result type of each request channel. */
export interface RequestResults {
  'snapshot:get': Snapshot;
  'monitor:pause': MonitorStatus;
  'monitor:resume': MonitorStatus;
  'monitor:set-interval': MonitorStatus;
  'monitor:set-scope': MonitorStatus;
  'monitor:status': MonitorStatus;
  'kill:plan': KillPlan;
  'kill:run': KillResult;
  'port:free-plan': FreePortPlan;
  'port:free': FreePortResult;
  'host:capabilities': HostCapabilities;
  'port:open': { opened: boolean; url: string };
  'process:usage': ProcessUsage | null;
  /** currentUser: who runs the engine (for "skip confirmation for my own processes"); null if unknown. */
  'settings:get': { settings: Settings; notice: string | null; currentUser: string | null };
  'settings:update': Settings;
  'connection:close': CloseConnectionResult;
  'container:stop': ContainerActionResult;
  'container:restart': ContainerActionResult;
  'service:stop': ServiceStopResult;
  'history:query': HistoryResult;
}

/** What the host behind a transport can do; the renderer asks instead of guessing from the transport. */
export interface HostCapabilities {
  /** 'desktop' (Electron window) or 'browser' (portscope serve). */
  host: 'desktop' | 'browser';
  /** The host opens URLs itself (desktop); in the browser the page opens them. */
  openUrl: boolean;
  /** An administrator prompt exists for permission-denied kills (pkexec, macOS, UAC). */
  elevate: boolean;
  /** A system-tray icon and its quick view exist. */
  tray: boolean;
  /** The host shows native notifications for watched ports. */
  notifications: boolean;
  /** Settings are stored (false: this host runs without a settings file). */
  settings: boolean;
  /** One TCP connection can be closed (Linux SOCK_DESTROY); false on Windows and macOS. */
  closeConnection: boolean;
  /** Why it cannot (the UI's tooltip); null when it can. */
  closeConnectionReason: string | null;
}

/** Push channels (engine → renderer) and their payloads. */
export interface PushPayloads {
  delta: Delta;
  status: MonitorStatus;
  /** The settings after every change, so every window (and tab) shows the same values. */
  settings: Settings;
}
/** Compile-time check: a payload type for exactly the push channels of the list. */
const pushesMatchChannels: Exactly<keyof PushPayloads, PushChannel> = true;
void pushesMatchChannels;

/** A request error that is safe to show the user. */
export interface ApiErrorShape {
  code: 'invalid-request' | 'unknown-channel' | 'not-found' | 'refused' | 'internal';
  message: string;
}

/** Error thrown by the api object; its code and message cross the transport. */
export class ApiError extends Error {
  constructor(
    public readonly code: ApiErrorShape['code'],
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Parse a payload for a channel; throws ApiError('invalid-request') with a readable message. */
export function parseRequest<C extends RequestChannel>(channel: C, payload: unknown): ParsedRequest<C> {
  const schema = requestSchemas[channel];
  if (!schema) throw new ApiError('unknown-channel', `Unknown channel: ${String(channel)}`);
  const result = schema.safeParse(payload ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
    throw new ApiError('invalid-request', `Invalid ${channel} request: ${issues.join('; ')}`);
  }
  return result.data as ParsedRequest<C>;
}

export function isRequestChannel(c: unknown): c is RequestChannel {
  return typeof c === 'string' && Object.hasOwn(requestSchemas, c);
}

/**
 * The api the renderer sees, whatever the transport (preload bridge or WebSocket).
 * Subscriptions return an unsubscribe function.
 */
export interface PortscopeApi {
  request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>): Promise<RequestResults[C]>;
  on<P extends PushChannel>(channel: P, listener: (payload: PushPayloads[P]) => void): () => void;
  /**
   * Connection state of the transport (the WebSocket reconnects with backoff; the preload bridge is
   * always 'open'). The store resyncs from a fresh snapshot on every transition to 'open'.
   */
  onConnection(listener: (state: ConnectionState) => void): () => void;
  /** Which transport this is (for diagnostics and the "open in browser" fallback only). */
  readonly transport: 'bridge' | 'websocket';
}

/**
 * `expired`: the browser mode's server no longer accepts this page's session (it was restarted with
 * a new token); retrying cannot help, the user needs the new URL.
 */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'expired';

/** The request channel a bridge function forwards. */
type ChannelOf<M extends BridgeMethodName> = {
  [C in RequestChannel]: (typeof bridgeMethods)[C] extends M ? C : never;
}[RequestChannel];
/** The push channel a bridge subscription delivers. */
type PushOf<M extends BridgePushMethodName> = {
  [P in PushChannel]: (typeof bridgePushMethods)[P] extends M ? P : never;
}[PushChannel];

/**
 * The preload bridge exposed as `window.portscope`, derived from the channel list: one named
 * function per request channel (its payload optional where the channel takes none) and one `on…`
 * subscription per push channel; nothing generic.
 */
export type PortscopeBridge = {
  [M in BridgeMethodName]: Record<never, never> extends RequestPayload<ChannelOf<M>>
    ? (payload?: RequestPayload<ChannelOf<M>>) => Promise<RequestResults[ChannelOf<M>]>
    : (payload: RequestPayload<ChannelOf<M>>) => Promise<RequestResults[ChannelOf<M>]>;
} & {
  [M in BridgePushMethodName]: (listener: (payload: PushPayloads[PushOf<M>]) => void) => () => void;
};

/** WebSocket wire format (browser mode). */
export const wsClientMessage = z
  .object({
    type: z.literal('req'),
    id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    channel: z.string().max(64),
    payload: z.unknown().optional(),
  })
  .strict();
export type WsClientMessage = z.infer<typeof wsClientMessage>;

/**
 * The first frame of every browser-mode socket: the session token (from the URL fragment, kept in
 * sessionStorage). Nothing is served, not even a push, before the server has accepted it.
 */
export const wsAuthMessage = z
  .object({
    type: z.literal('auth'),
    token: z.string().max(256),
  })
  .strict();
export type WsAuthMessage = z.infer<typeof wsAuthMessage>;

/**
 * Close codes of the auth step (private range 4000–4999; the browser shows code and reason to the
 * page, unlike a refused upgrade, which it reports only as 1006).
 */
export const WS_CLOSE = {
  /** The first frame was not an auth frame. */
  authRequired: 4400,
  /** Wrong token: this page's session is not this server's (restarted, or opened without the URL). */
  authRefused: 4401,
  /** No auth frame within the time limit. */
  authTimeout: 4408,
} as const;

export type WsServerMessage =
  /** The token was accepted; requests are served from now on. */
  | { type: 'auth'; ok: true }
  | { type: 'res'; id: number; ok: true; result: unknown }
  | { type: 'res'; id: number | null; ok: false; error: ApiErrorShape }
  | { type: 'push'; channel: PushChannel; payload: unknown };
