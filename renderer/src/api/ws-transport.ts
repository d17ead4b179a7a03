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
  type WsServerMessage,
} from '../../../shared/contract';

/**
 * The WebSocket transport of the browser mode: request/response by id over one socket, pushes
 * fanned out to listeners, and reconnection with backoff. Pending requests fail when the socket
 * drops (a kill is never silently re-sent); requests made while disconnected wait for the next open.
 */

/** The subset of the WebSocket API we use (the browser's, or the `ws` package's in tests). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (ev: { data: unknown }) => void): void;
}

export interface WsApiOptions {
  /** ws://host:port/ws */
  url: string;
  /** Opens a socket; the browser's WebSocket by default (tests pass `ws` with cookie/Origin headers). */
  connect?: (url: string) => WebSocketLike;
  /** Per-request timeout; kill:run gets `killTimeoutMs` because a kill may wait out a grace period. */
  timeoutMs?: number;
  killTimeoutMs?: number;
  /** Reconnect delays: starts at minDelayMs, doubles, capped at maxDelayMs. */
  minDelayMs?: number;
  maxDelayMs?: number;
  /**
   * Asked when a connection attempt fails before opening: the browser cannot see why an upgrade
   * was refused, so this asks the server over HTTP. 'expired' (a 401: the server was restarted with a
   * new token) stops the retries. Default: GET /healthz with the page's cookie.
   */
  checkSession?: () => Promise<SessionCheck>;
}

export type SessionCheck = 'ok' | 'expired' | 'unreachable';

/** The browser mode's session check: /healthz answers 401 once the page's cookie is no longer valid. */
export async function checkHealthz(): Promise<SessionCheck> {
  try {
    const res = await fetch('/healthz', { credentials: 'same-origin', cache: 'no-store' });
    return res.status === 401 ? 'expired' : 'ok';
  } catch {
    return 'unreachable';
  }
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
  const checkSession = opts.checkSession ?? checkHealthz;

  let socket: WebSocketLike | null = null;
  let state: ConnectionState = 'connecting';
  let closed = false;
  let delay = minDelay;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let nextId = 1;
  const pending = new Map<number, Pending>();
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
    let msg: WsServerMessage;
    try {
      msg = JSON.parse(data) as WsServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'push') {
      for (const l of [...(pushListeners.get(msg.channel) ?? [])]) (l as (p: unknown) => void)(msg.payload);
      return;
    }
    if (msg.type !== 'res' || msg.id === null) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(toApiError(msg.error));
  };

  const open = () => {
    if (closed) return;
    setState('connecting');
    let ws: WebSocketLike;
    try {
      ws = connect(opts.url);
    } catch {
      scheduleRetry();
      return;
    }
    socket = ws;
    ws.addEventListener('open', () => {
      if (socket !== ws) return;
      delay = minDelay;
      setState('open');
      for (const w of [...waitingForOpen.keys()]) w();
    });
    ws.addEventListener('message', (ev) => {
      if (socket === ws) onMessage(ev.data);
    });
    // 'error' is always followed by 'close'; the retry is scheduled there, once.
    ws.addEventListener('error', () => {});
    let opened = false;
    ws.addEventListener('open', () => {
      opened = true;
    });
    ws.addEventListener('close', () => {
      if (socket !== ws) return;
      socket = null;
      failPending('The connection to Portscope was lost; the request may not have completed.');
      setState('closed');
      if (opened) return scheduleRetry();
      // Refused before opening: a server that is down, or one that no longer knows our cookie.
      void checkSession().then((answer) => {
        if (closed) return;
        if (answer === 'expired') expire();
        else scheduleRetry();
      });
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
      return send(channel, payload) as Promise<RequestResults[C]>;
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

/** The platform WebSocket, typed without the DOM lib so Node-side tests can import this file. */
function browserSocket(url: string): WebSocketLike {
  const Ctor = (globalThis as unknown as { WebSocket: new (url: string) => WebSocketLike }).WebSocket;
  return new Ctor(url);
}

function toApiError(e: ApiErrorShape | undefined): ApiError {
  return new ApiError(e?.code ?? 'internal', e?.message ?? 'Portscope returned an error without a message.');
}
