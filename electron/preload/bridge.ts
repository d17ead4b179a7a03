import type { PortscopeBridge, PushChannel, RequestChannel } from '../../shared/contract';
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

/**
 * The IPC name of a contract channel: the same rule as ipcChannel() in shared/contract.ts (a unit test
 * holds them equal). Not imported from there because the contract module pulls in zod at runtime, and a
 * sandboxed preload may require nothing but 'electron'.
 */
export const channelName = (c: RequestChannel | PushChannel): string => `portscope:${c}`;

function isEnvelope(v: unknown): v is IpcEnvelope {
  return typeof v === 'object' && v !== null && typeof (v as { ok?: unknown }).ok === 'boolean';
}

/**
 * Unwrap main's envelope. Errors keep their code as a `[code] message` prefix because contextBridge
 * copies only an Error's message across worlds; the renderer's bridge transport parses it back.
 */
async function call<T>(ipc: IpcLike, channel: RequestChannel, payload?: unknown): Promise<T> {
  const reply = await ipc.invoke(channelName(channel), payload ?? {});
  if (!isEnvelope(reply)) throw new Error('[internal] Malformed reply from the Portscope main process.');
  if (reply.ok) return reply.result as T;
  throw new Error(`[${reply.error.code}] ${reply.error.message}`);
}

function listen<P>(ipc: IpcLike, channel: PushChannel, listener: (payload: P) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError('listener must be a function');
  const name = channelName(channel);
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

/** Build `window.portscope`. Each function forwards exactly one contract channel. */
export function createBridge(ipc: IpcLike): PortscopeBridge {
  return {
    getSnapshot: () => call(ipc, 'snapshot:get'),
    pause: () => call(ipc, 'monitor:pause'),
    resume: () => call(ipc, 'monitor:resume'),
    setInterval: (payload) => call(ipc, 'monitor:set-interval', payload),
    setScope: (payload) => call(ipc, 'monitor:set-scope', payload),
    getProcessUsage: (payload) => call(ipc, 'process:usage', payload),
    getStatus: () => call(ipc, 'monitor:status'),
    killPlan: (payload) => call(ipc, 'kill:plan', payload),
    kill: (payload) => call(ipc, 'kill:run', payload),
    freePortPlan: (payload) => call(ipc, 'port:free-plan', payload),
    freePort: (payload) => call(ipc, 'port:free', payload),
    getCapabilities: () => call(ipc, 'host:capabilities'),
    openPort: (payload) => call(ipc, 'port:open', payload),
    getSettings: () => call(ipc, 'settings:get'),
    updateSettings: (payload) => call(ipc, 'settings:update', payload),
    onDelta: (listener) => listen(ipc, 'delta', listener),
    onStatus: (listener) => listen(ipc, 'status', listener),
    onSettings: (listener) => listen(ipc, 'settings', listener),
  };
}
