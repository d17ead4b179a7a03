import {
  ApiError,
  type ApiErrorShape,
  bridgeMethods,
  bridgePushMethods,
  isPushChannel,
  type PortscopeApi,
  type PortscopeBridge,
  type PushChannel,
  type PushPayloads,
  type RequestChannel,
  type RequestPayload,
  type RequestResults,
} from '../../../shared/contract';
import { decodePush, decodeResult } from '../../../shared/wire';

/**
 * The Electron transport: each request channel maps to the one named bridge function the preload
 * exposes (bridgeMethods), each push channel to its `on…` subscription (bridgePushMethods), both
 * from the contract's channel list. A channel outside the list is an error, never rerouted.
 * IPC is always connected.
 */

const CODES: ApiErrorShape['code'][] = [
  'invalid-request',
  'unknown-channel',
  'not-found',
  'refused',
  'internal',
];

/**
 * Electron re-throws main-side errors as `Error invoking remote method 'x': ApiError: msg`, which
 * loses the class; recover the code (when main put it in the message or on the object) and a clean
 * message, so callers see the same ApiError whatever the transport.
 */
export function normalizeBridgeError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const raw = error instanceof Error ? error.message : String(error);
  const withoutPrefix = raw.replace(/^Error invoking remote method '[^']*': /, '');
  const named = /^(?:ApiError|Error): (.*)$/s.exec(withoutPrefix);
  const message = named?.[1] ?? withoutPrefix;
  const codeProp = (error as { code?: unknown } | null)?.code;
  const tagged = /^\[([a-z-]+)\] (.*)$/s.exec(message);
  if (tagged && CODES.includes(tagged[1] as ApiErrorShape['code'])) {
    return new ApiError(tagged[1] as ApiErrorShape['code'], tagged[2] as string);
  }
  const code = CODES.includes(codeProp as ApiErrorShape['code'])
    ? (codeProp as ApiErrorShape['code'])
    : 'internal';
  return new ApiError(code, message);
}

/** Wrap the preload bridge as a PortscopeApi. */
export function createBridgeApi(bridge: PortscopeBridge): PortscopeApi {
  return {
    transport: 'bridge',
    async request<C extends RequestChannel>(channel: C, payload: RequestPayload<C>) {
      const name = bridgeMethods[channel];
      const fn = bridge[name] as ((p?: unknown) => Promise<unknown>) | undefined;
      if (typeof fn !== 'function') throw new ApiError('unknown-channel', `Unknown channel: ${channel}`);
      try {
        return decodeResult(channel, await fn.call(bridge, payload)) as RequestResults[C];
      } catch (e) {
        throw normalizeBridgeError(e);
      }
    },
    on<P extends PushChannel>(channel: P, listener: (payload: PushPayloads[P]) => void) {
      const name = isPushChannel(channel) ? bridgePushMethods[channel] : null;
      const subscribe = name ? (bridge[name] as ((l: (p: unknown) => void) => () => void) | undefined) : null;
      if (typeof subscribe !== 'function') {
        throw new ApiError('unknown-channel', `Unknown push channel: ${String(channel)}`);
      }
      return subscribe.call(bridge, (p: unknown) =>
        (listener as (p: unknown) => void)(decodePush(channel, p)),
      );
    },
    onConnection(listener) {
      listener('open');
      return () => {};
    },
  };
}
