import { type BrowserWindow, ipcMain } from 'electron';
import { ipcChannel, type PushChannel, type PushPayloads, requestChannels } from '../../shared/contract';
import type { PortscopeCore } from '../core/api/api';
import { createIpcRouter, pushToAll } from './ipc-router';
import type { RendererPage } from './security-rules';
import { isTrustedSender, type TrustedWindow } from './sender';

/**
 * The ONE place that registers ipcMain handlers. Every handler checks the sender first (our window's
 * webContents, its main frame, our page), then parses the payload with the contract's schema, then
 * calls the shared api object: the same object the browser mode's WebSocket wraps.
 */

export interface IpcWiring {
  /** Stop forwarding pushes and remove every handler (on quit). */
  dispose(): void;
}

function trustedWindows(windows: () => readonly BrowserWindow[]): TrustedWindow[] {
  return windows()
    .filter((w) => !w.isDestroyed())
    .map((w) => ({
      webContentsId: w.webContents.id,
      mainFrame: {
        processId: w.webContents.mainFrame.processId,
        routingId: w.webContents.mainFrame.routingId,
      },
    }));
}

/** Typed push of one contract push channel to every one of our live windows. */
export function push<P extends PushChannel>(
  windows: readonly BrowserWindow[],
  channel: P,
  payload: PushPayloads[P],
): number {
  const targets = windows.filter((w) => !w.isDestroyed()).map((w) => w.webContents);
  return pushToAll(targets, channel, payload);
}

/**
 * Register a handler for every request channel and forward the core's pushes to our windows.
 * `windows` is read on every call, so windows created later (the quick view) are trusted too.
 */
export function registerIpc(
  core: PortscopeCore,
  windows: () => readonly BrowserWindow[],
  page: RendererPage,
): IpcWiring {
  const router = createIpcRouter(core);
  for (const channel of requestChannels) {
    const handler = router[channel];
    ipcMain.handle(ipcChannel(channel), (event, payload: unknown) => {
      const trusted = isTrustedSender(event, { windows: trustedWindows(windows), page });
      return handler(trusted, payload);
    });
  }
  const unsubscribe = core.subscribe((channel, payload) => {
    push(windows(), channel, payload);
  });
  return {
    dispose() {
      unsubscribe();
      for (const channel of requestChannels) ipcMain.removeHandler(ipcChannel(channel));
    },
  };
}
