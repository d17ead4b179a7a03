import {
  ApiError,
  type ApiErrorShape,
  ipcChannel,
  type PushChannel,
  type PushPayloads,
  parseRequest,
  type RequestChannel,
  type RequestResults,
  requestChannels,
} from '../../shared/contract';
import { encodePush, encodeResult } from '../../shared/wire';
import type { ApiClient } from '../core/api/api';

/**
 * The IPC request path without Electron: sender check → zod parse → the shared api object, with
 * every outcome wrapped in an envelope. Electron re-throws handler errors as "Error invoking remote
 * method…", losing the code; an envelope keeps `{ code, message }` intact for the preload.
 */

/** What an ipcMain.handle handler returns to the preload. */
export type IpcEnvelope<T = unknown> = { ok: true; result: T } | { ok: false; error: ApiErrorShape };

/** `client` is the sending window's api client, or null when the sender is not one of our windows. */
export type IpcHandler<C extends RequestChannel> = (
  client: Pick<ApiClient, 'invoke'> | null,
  payload: unknown,
) => Promise<IpcEnvelope<RequestResults[C]>>;

const REFUSED: ApiErrorShape = {
  code: 'refused',
  message: 'This request did not come from a Portscope window and was ignored.',
};

function toShape(e: unknown): ApiErrorShape {
  if (e instanceof ApiError) return { code: e.code, message: e.message };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

/**
 * One handler per request channel. The payload is parsed with the contract's schema here, before the
 * core sees it (the core parses again: both doors are guarded even if one is changed later); an
 * untrusted sender (no client) or an invalid payload gets an error envelope and nothing else happens.
 */
export function createIpcRouter(): {
  [C in RequestChannel]: IpcHandler<C>;
} {
  const entries = requestChannels.map((channel) => {
    const handler = async (
      client: Pick<ApiClient, 'invoke'> | null,
      payload: unknown,
    ): Promise<IpcEnvelope> => {
      if (!client) return { ok: false, error: REFUSED };
      try {
        const parsed = parseRequest(channel, payload);
        // Rows cross packed (shared/wire.ts); the renderer's bridge transport unpacks them.
        return { ok: true, result: encodeResult(channel, await client.invoke(channel, parsed)) };
      } catch (e) {
        return { ok: false, error: toShape(e) };
      }
    };
    return [channel, handler] as const;
  });
  return Object.fromEntries(entries) as { [C in RequestChannel]: IpcHandler<C> };
}

/** Something a push can be sent to: a window's webContents (structural, so tests need no Electron). */
export interface PushTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/**
 * Typed push to every live target on the contract's IPC channel name (`portscope:<channel>`).
 * A payload is never sent to a destroyed webContents (that throws in Electron).
 */
export function pushToAll<P extends PushChannel>(
  targets: Iterable<PushTarget>,
  channel: P,
  payload: PushPayloads[P],
): number {
  const name = ipcChannel(channel);
  const wire = encodePush(channel, payload);
  let sent = 0;
  for (const t of targets) {
    if (t.isDestroyed()) continue;
    t.send(name, wire);
    sent += 1;
  }
  return sent;
}
