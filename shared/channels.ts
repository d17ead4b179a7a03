/**
 * The channel list: every request channel with the bridge function that serves it, every push
 * channel with the bridge subscription that delivers it. Plain constants with no imports, so the
 * sandboxed preload can bundle it (it may require nothing but 'electron', and zod is too much);
 * shared/contract.ts re-exports it and checks at compile time that its schemas and payload types
 * cover exactly these channels (a unit test checks it again at run time).
 *
 * Adding a channel: add it here, then its schema and result in contract.ts; the preload's functions,
 * the PortscopeBridge type, the bridge transport's push routing and the Electron spec's expected
 * surface all follow from this list.
 */

/** Request channel → the preload bridge function that forwards it. */
export const bridgeMethods = {
  'snapshot:get': 'getSnapshot',
  'monitor:pause': 'pause',
  'monitor:resume': 'resume',
  'monitor:set-interval': 'setInterval',
  'monitor:set-scope': 'setScope',
  'monitor:status': 'getStatus',
  'kill:plan': 'killPlan',
  'kill:run': 'kill',
  'port:free-plan': 'freePortPlan',
  'port:free': 'freePort',
  'host:capabilities': 'getCapabilities',
  'port:open': 'openPort',
  'process:usage': 'getProcessUsage',
  'settings:get': 'getSettings',
  'settings:update': 'updateSettings',
  'connection:close': 'closeConnection',
  'container:stop': 'stopContainer',
  'container:restart': 'restartContainer',
  'service:stop': 'stopService',
  'history:query': 'queryHistory',
} as const;

/** Push channel → the preload bridge subscription that delivers it. */
export const bridgePushMethods = {
  delta: 'onDelta',
  status: 'onStatus',
  settings: 'onSettings',
} as const;

export type RequestChannel = keyof typeof bridgeMethods;
export type PushChannel = keyof typeof bridgePushMethods;
export type BridgeMethodName = (typeof bridgeMethods)[RequestChannel];
export type BridgePushMethodName = (typeof bridgePushMethods)[PushChannel];

export const requestChannels = Object.keys(bridgeMethods) as RequestChannel[];
export const pushChannels = Object.keys(bridgePushMethods) as PushChannel[];

/** Every name `window.portscope` has, sorted (what the Electron spec expects to find, no more). */
export const bridgeSurface: readonly string[] = [
  ...Object.values(bridgeMethods),
  ...Object.values(bridgePushMethods),
].sort();

/** Electron IPC channel name for a contract channel (one prefix, so the main side can check it). */
export const ipcChannel = (c: RequestChannel | PushChannel): string => `portscope:${c}`;

/** True when `c` is a push channel of the contract (the bridge transport refuses any other). */
export function isPushChannel(c: unknown): c is PushChannel {
  return typeof c === 'string' && Object.hasOwn(bridgePushMethods, c);
}
