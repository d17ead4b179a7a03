import type { PortscopeApi } from '../../../shared/contract';
import { createBridgeApi } from './bridge-transport';
import { sessionToken } from './session-token';
import { createWsApi, sameOriginWsUrl } from './ws-transport';

/**
 * The renderer's one api client. Inside Electron the preload bridge exists and is used; in the
 * browser mode the page talks to its own server over a same-origin WebSocket that authenticates
 * with the tab's session token (session-token.ts). Nothing else in the renderer knows which
 * transport it has.
 */

export { createBridgeApi, normalizeBridgeError } from './bridge-transport';
export type { ClosableApi, WebSocketLike, WsApiOptions } from './ws-transport';
export { createWsApi, sameOriginWsUrl } from './ws-transport';

let instance: PortscopeApi | null = null;

/** The api for this page (created on first use, then shared). */
export function getApi(): PortscopeApi {
  if (!instance) {
    instance = window.portscope
      ? createBridgeApi(window.portscope)
      : createWsApi({
          url: sameOriginWsUrl(window.location),
          token: () => sessionToken(window.sessionStorage),
        });
  }
  return instance;
}

/** Replace the shared api (component tests inject one); null lets getApi() create it again. */
export function setApi(api: PortscopeApi | null): void {
  instance = api;
}
