import type { RawData, WebSocket } from 'ws';
import { ApiError, type ApiErrorShape, type WsServerMessage, wsClientMessage } from '../../shared/contract';
import { encodePush, encodeResult } from '../../shared/wire';
import type { PortscopeCore } from '../core/api/api';

/**
 * One browser tab's WebSocket: every message parsed with the contract before anything runs,
 * pushes forwarded from this tab's own client of the core, and limits so that one noisy client
 * cannot hurt the server (a token bucket per connection, a cap on requests in flight, a cap on
 * queued output).
 */

export interface SessionLimits {
  /** Sustained messages per second. */
  ratePerSecond: number;
  /** Burst size of the bucket. */
  burst: number;
  /** Messages refused for rate or validity before the connection is closed as abusive. */
  maxStrikes: number;
  /** Requests running at once. */
  maxInFlight: number;
  /** Bytes queued towards a slow reader before it is dropped (pushes keep coming). */
  maxBuffered: number;
}

export const DEFAULT_LIMITS: SessionLimits = {
  ratePerSecond: 50,
  burst: 100,
  maxStrikes: 200,
  maxInFlight: 16,
  // Generous: one snapshot of a very busy machine (scope all) can be several MB on its own.
  maxBuffered: 32 * 1024 * 1024,
};

/** Policy-violation close code (RFC 6455). */
const CLOSE_POLICY = 1008;

/** Attach a session to an accepted socket; returns when it is wired (cleanup runs on close). */
export function attachSession(
  ws: WebSocket,
  core: PortscopeCore,
  limits: SessionLimits = DEFAULT_LIMITS,
): void {
  let tokens = limits.burst;
  let last = Date.now();
  let strikes = 0;
  let inFlight = 0;

  const send = (msg: WsServerMessage) => {
    if (ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > limits.maxBuffered) {
      ws.terminate();
      return;
    }
    ws.send(JSON.stringify(msg));
  };
  const fail = (id: number | null, code: ApiErrorShape['code'], message: string) =>
    send({ type: 'res', id, ok: false, error: { code, message } });

  const strike = () => {
    strikes++;
    if (strikes > limits.maxStrikes) ws.close(CLOSE_POLICY, 'too many invalid or excess messages');
  };

  const takeToken = (): boolean => {
    const now = Date.now();
    tokens = Math.min(limits.burst, tokens + ((now - last) / 1000) * limits.ratePerSecond);
    last = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };

  // One client per socket: this tab's scope, pause and seq are its own (another tab cannot change them).
  // Rows cross packed (shared/wire.ts): each process once, not once per socket.
  const client = core.connect((channel, payload) =>
    send({ type: 'push', channel, payload: encodePush(channel, payload) } as WsServerMessage),
  );

  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (!takeToken()) {
      strike();
      return fail(null, 'refused', 'Too many messages; slow down.');
    }
    if (isBinary) {
      strike();
      return fail(null, 'invalid-request', 'Binary messages are not part of the protocol.');
    }
    let json: unknown;
    try {
      json = JSON.parse(data.toString());
    } catch {
      strike();
      return fail(null, 'invalid-request', 'Message is not valid JSON.');
    }
    const parsed = wsClientMessage.safeParse(json);
    if (!parsed.success) {
      strike();
      const id = typeof (json as { id?: unknown })?.id === 'number' ? (json as { id: number }).id : null;
      return fail(
        Number.isSafeInteger(id) ? id : null,
        'invalid-request',
        'Message does not match the protocol.',
      );
    }
    const { id, channel, payload } = parsed.data;
    if (inFlight >= limits.maxInFlight) {
      strike();
      return fail(id, 'refused', 'Too many requests in flight; wait for answers first.');
    }
    inFlight++;
    client
      .invoke(channel, payload)
      .then(
        (result) => send({ type: 'res', id, ok: true, result: encodeResult(channel, result) }),
        (e: unknown) => {
          if (e instanceof ApiError) {
            if (e.code === 'invalid-request' || e.code === 'unknown-channel') strike();
            return fail(id, e.code, e.message);
          }
          return fail(id, 'internal', 'Portscope failed to handle the request.');
        },
      )
      .finally(() => {
        inFlight--;
      });
  });
  // A socket error (bad frame, oversize payload) closes this connection only.
  ws.on('error', () => ws.terminate());
  ws.on('close', () => client.close());
}
