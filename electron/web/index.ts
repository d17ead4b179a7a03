/** The browser mode: loopback HTTP + WebSocket server for the renderer. */
export { startWebServer, type WebServer, WebServerConfigError, type WebServerOptions } from './server';
export { DEFAULT_LIMITS, type SessionLimits } from './ws-session';
