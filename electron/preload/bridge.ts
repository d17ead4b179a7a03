import {
  bridgeMethods,
  bridgePushMethods,
  ipcChannel,
  type PushChannel,
  pushChannels,
  type RequestChannel,
  requestChannels,
} from '../../shared/channels';
import type { PortscopeBridge } from '../../shared/contract';
import type { IpcEnvelope } from '../main/ipc-router';

/**
 * The bridge the preload exposes as `window.portscope`, built on a minimal ipcRenderer-shaped object
 * so it is unit-tested without Electron. One named function per channel; no channel argument, no
 * generic send/invoke, and the renderer never receives the IPC event object (it carries the sender).
 */

/** The parts of Electron's ipcRenderer the bridge uses. */
export interface IpcLike {
  invoke(channel: string, payload?: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

function isEnvelope(v: unknown): v is IpcEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * Unwrap main's envelope. Errors keep their code as a `[code] message` prefix because contextBridge
 * copies only an Error's message across worlds; the renderer's bridge transport parses it back.
 */
async function call<T>(ipc: IpcLike, channel: RequestChannel, payload?: unknown): Promise<T> {
  const reply = await ipc.invoke(ipcChannel(channel), payload ?? {});
  if (!isEnvelope(reply)) throw new Error('[internal] Malformed reply from the Portscope main process.');
  if (reply.ok) return reply.result as T;
  throw new Error(`[${reply.error.code}] ${reply.error.message}`);
}

function listen<P>(ipc: IpcLike, channel: PushChannel, listener: (payload: P) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  const name = ipcChannel(channel);
  // Only the payload crosses: the IpcRendererEvent (with its sender) stays in the preload.
  const wrapped = (_event: unknown, payload: unknown) => listener(payload as P);
  ipc.on(name, wrapped);
  let subscribed = true;
  return () => {
    if (!subscribed) return;
    subscribed = false;
    ipc.removeListener(name, wrapped);
  };
}

/**
 * Build `window.portscope` from the contract's channel list (shared/channels.ts, zod-free so the
 * sandboxed preload can bundle it): each request channel's function forwards exactly that channel,
 * each push channel's `on…` subscribes to exactly that one. A new channel needs no edit here.
 */
export function createBridge(ipc: IpcLike): PortscopeBridge {
  const bridge: Record<string, unknown> = {};
  for (const channel of requestChannels) {
    bridge[bridgeMethods[channel]] = (payload?: unknown) => call(ipc, channel, payload);
  }
  for (const channel of pushChannels) {
    bridge[bridgePushMethods[channel]] = (listener: (payload: unknown) => void) =>
      listen(ipc, channel, listener);
  }
  return bridge as PortscopeBridge;
}
