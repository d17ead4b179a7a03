import {
  ApiError,
  type ApiErrorShape,
  type ConnectionState,
  type PortscopeApi,
  type PushChannel,
  type PushPayloads,
  type RequestChannel,
  type RequestPayload,
  type RequestResults,
  WS_CLOSE,
  type WsServerMessage,
} from '../../../shared/contract';
import { decodePush, decodeResult } from '../../../shared/wire';
import { benchMark, benchOn } from '../bench-marks';

/**
 * The WebSocket transport of the browser mode: request/response by id over one socket, pushes
 * fanned out to listeners, and reconnection with backoff. Every socket first authenticates with
 * the page's token (`{type:'auth', token}`, the server answers `{type:'auth', ok:true}`); only then
 * is the connection 'open'. Pending requests fail when the socket drops (a kill is never silently
 * re-sent); requests made while disconnected wait for the next open. A refused token (close code
 * WS_CLOSE.authRefused) means the server no longer knows this page: 'expired', no more retries.
 */

/** The subset of the WebSocket API we use (the browser's, or the `ws` package's in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  /** The close event's code (a browser CloseEvent, or the test stand-in's). */
  addEventListener(type: 'close', listener: (ev?: { code?: number }) => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}

export interface WsApiOptions {
  /** ws://host:port/ws */
  url: string;
  /** Opens a socket; the browser's WebSocket by default (tests pass `ws` with an Origin header). */
  connect?: (url: string) => WebSocketLike;
  /** Per-request timeout; kill:run gets `killTimeoutMs` because a kill may wait out a grace period. */
  timeoutMs?: number;
  killTimeoutMs?: number;
  /** Reconnect delays: starts at minDelayMs, doubles, capped at maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * The page's session token, read at every dial (session-token.ts: from sessionStorage). null: this
   * page was opened without the printed URL, so there is nothing to try: 'expired' at once.
   */
  token: () => string | null;
}

/** What a request made after the session expired is told. */
export const EXPIRED_MESSAGE =
  'This page’s session has ended: Portscope was restarted. Open the new URL printed by `portscope serve`.';

/** A PortscopeApi that can also be shut down (tests, page unload). */
export interface ClosableApi extends PortscopeApi {
  close(): void;
  connectionState(): ConnectionState;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: ReturnType<typeof setTimeout>;
}

const OPEN = 1;

/** The same-origin WebSocket URL of the page (`/ws`). */
export function sameOriginWsUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/ws`;
}

/** Create the WebSocket-backed api; it connects immediately and keeps reconnecting until closed. */
export function createWsApi(opts: WsApiOptions): ClosableApi {
  const connect = opts.connect ?? browserSocket;
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const killTimeoutMs = opts.killTimeoutMs ?? 5 * 60_000;
  const minDelay = opts.minDelayMs ?? 250;
  const maxDelay = opts.maxDelayMs ?? 5_000;

  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let closed = false;
  let delay = minDelay;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  /** Ids of snapshot:get requests under way (only tracked for the UI bench's marks). */
  const snapshotIds = new Set<number>();
  /** Requests made while disconnected: sent on the next open, failed if the api is closed first. */
  const waitingForOpen = new Map<() => void, (e: Error) => void>();
  const pushListeners = new Map<PushChannel, Set<(payload: never) => void>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();

  const setState = (s: ConnectionState) => {
    if (s === state) return;
    state = s;
    for (const l of [...connectionListeners]) l(s);
  };

  const failPending = (message: string) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(new ApiError('internal', message));
    }
  };

  const onMessage = (data: unknown) => {
    if (typeof data !== 'string') return;
    const arrived = benchOn() ? performance.now() : 0;
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(data) as WsServerMessage;
      // Under the UI bench: when the snapshot arrived and was parsed (first-render split).
      if (arrived && msg.type === 'res' && snapshotIds.has(msg.id ?? -1)) {
        benchMark('ps:snapshot-arrived', arrived);
        benchMark('ps:snapshot-parsed');
      }
    } catch {
      return;
    }
    if (msg.type === 'auth') return;
    if (msg.type === 'push') {
      const listeners = [...(pushListeners.get(msg.channel) ?? [])];
      if (listeners.length === 0) return;
      const payload = decodePush(msg.channel, msg.payload);
      for (const l of listeners) (l as (p: unknown) => void)(payload);
      return;
    }
    if (msg.type !== 'res' || msg.id === null) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    snapshotIds.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(toApiError(msg.error));
  };

  const open = () => {
    if (closed) return;
    const token = opts.token();
    if (token === null) return expire();
    setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = connect(opts.url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    let authenticated = false;
    // The first frame is the token; nothing else is sent (or answered) before the server accepts it.
    ws.addEventListener('open', () => {
      if (socket === ws) ws.send(JSON.stringify({ type: 'auth', token }));
    });
    ws.addEventListener('message', (ev) => {
      if (socket !== ws) return;
      if (!authenticated) {
        if (!isAuthOk(ev.data)) return;
        authenticated = true;
        delay = minDelay;
        setState('open');
        for (const w of [...waitingForOpen.keys()]) w();
        return;
      }
      onMessage(ev.data);
    });
    // 'error' is always followed by 'close'; the retry is scheduled there, once.
    ws.addEventListener('error', () => {});
    ws.addEventListener('close', (ev) => {
      if (socket !== ws) return;
      socket = null;
      failPending('The connection to Portscope was lost; the request may not have completed.');
      setState('closed');
      // The server is up and says our token is not its own: it was restarted with a new one.
      if (ev?.code === WS_CLOSE.authRefused) expire();
      else scheduleRetry();
    });
  };

  /** The session is gone for good: stop retrying and fail whatever was waiting. */
  const expire = () => {
    closed = true;
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    for (const fail of [...waitingForOpen.values()]) fail(new ApiError('internal', EXPIRED_MESSAGE));
    waitingForOpen.clear();
    setState('expired');
  };

  const scheduleRetry = () => {
    if (closed || retryTimer) return;
    const wait = delay;
    delay = Math.min(delay * 2, maxDelay);
    retryTimer = setTimeout(() => {
      retryTimer = null;
      open();
    }, wait);
  };

  const send = (channel: RequestChannel, payload: unknown): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const limit = channel === 'kill:run' ? killTimeoutMs : timeoutMs;
      const id = nextId++;
      let waiter: (() => void) | null = null;
      const timer = setTimeout(() => {
        if (waiter) waitingForOpen.delete(waiter);
        pending.delete(id);
        reject(new ApiError('internal', `No answer from Portscope for ${channel} within ${limit / 1000} s.`));
      }, limit);
      const transmit = () => {
        if (waiter) waitingForOpen.delete(waiter);
        if (channel === 'snapshot:get' && benchOn()) snapshotIds.add(id);
        pending.set(id, { resolve, reject, timer });
        socket?.send(JSON.stringify({ type: 'req', id, channel, payload: payload ?? {} }));
      };
      if (closed) {
        clearTimeout(timer);
        reject(
          new ApiError(
            'internal',
            state === 'expired' ? EXPIRED_MESSAGE : 'The Portscope connection is closed.',
          ),
        );
      } else if (socket && socket.readyState === OPEN && state === 'open') transmit();
      else {
        waiter = transmit;
        waitingForOpen.set(waiter, (e) => {
          clearTimeout(timer);
          reject(e);
        });
      }
    });

  open();

  return {
    transport: 'websocket',
    request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>) {
      return send(channel, payload).then((r) => {
        const decoded = decodeResult(channel, r);
        if (channel === 'snapshot:get') benchMark('ps:snapshot-decoded');
        return decoded;
      }) as Promise<RequestResults[C]>;
    },
    on<P extends PushChannel>(channel: P, listener: (payload: PushPayloads[P]) => void) {
      let set = pushListeners.get(channel);
      if (!set) {
        set = new Set();
        pushListeners.set(channel, set);
      }
      const l = listener as (payload: never) => void;
      set.add(l);
      return () => {
        set.delete(l);
      };
    },
    onConnection(listener) {
      connectionListeners.add(listener);
      // Late subscribers learn the current state at once, so nobody waits for a transition forever.
      listener(state);
      return () => {
        connectionListeners.delete(listener);
      };
    },
    connectionState: () => state,
    close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      retryTimer = null;
      const ws = socket;
      socket = null;
      failPending('The Portscope connection was closed.');
      for (const fail of [...waitingForOpen.values()])
        fail(new ApiError('internal', 'The Portscope connection was closed.'));
      waitingForOpen.clear();
      ws?.close(1000, 'client closed');
      setState('closed');
    },
  };
}

/** Is this the server's acceptance of our auth frame? */
function isAuthOk(data: unknown): boolean {
  if (typeof data !== 'string') return false;
  try {
    const msg = JSON.parse(data) as { type?: unknown; ok?: unknown };
    return msg.type === 'auth' && msg.ok === true;
  } catch {
    return false;
  }
}

/** The platform WebSocket, typed without the DOM lib so Node-side tests can import this file. */
function browserSocket(url: string): WebSocketLike {
  const Ctor = (globalThis as unknown as { WebSocket: new (url: string) => WebSocketLike }).WebSocket;
  return new Ctor(url);
}

function toApiError(e: ApiErrorShape | undefined): ApiError {
  return new ApiError(e?.code ?? 'internal', e?.message ?? 'Portscope returned an error without a message.');
}
