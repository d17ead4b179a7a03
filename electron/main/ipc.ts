import { type BrowserWindow, ipcMain } from 'electron';
import { ipcChannel, type PushChannel, type PushPayloads, requestChannels } from '../../shared/contract';
import type { ApiClient, PortscopeCore } from '../core/api/api';
import { createIpcRouter, pushToAll } from './ipc-router';
import type { RendererPage } from './security-rules';
import { isTrustedSender, type TrustedWindow } from './sender';

/**
 * The ONE place that registers ipcMain handlers. Every handler checks the sender first (our window's
 * webContents, its main frame, our page), then parses the payload with the contract's schema, then
 * calls that window's own client of the shared api: the main window and the quick view each have
 * their own scope, pause and seq, exactly as two browser tabs do in the browser mode.
 */

export interface IpcWiring {
  /** The window's client (made on first use, closed with its webContents); pushes go to it only. */
  clientFor(win: BrowserWindow): ApiClient;
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
 * Register a handler for every request channel; each window gets its own api client.
 * `windows` is read on every call, so windows created later (the quick view) are trusted too.
 */
export function registerIpc(
  core: PortscopeCore,
  windows: () => readonly BrowserWindow[],
  page: RendererPage,
): IpcWiring {
  const router = createIpcRouter();
  const clients = new Map<number, ApiClient>();

  const clientFor = (win: BrowserWindow): ApiClient => {
    const contents = win.webContents;
    const known = clients.get(contents.id);
    if (known) return known;
    // A reload keeps the webContents and so the client (its scope); the renderer resyncs on load.
    const client = core.connect((channel, payload) => push([win], channel, payload));
    clients.set(contents.id, client);
    contents.once('destroyed', () => {
      client.close();
      clients.delete(contents.id);
    });
    return client;
  };

  for (const channel of requestChannels) {
    const handler = router[channel];
    ipcMain.handle(ipcChannel(channel), (event, payload: unknown) => {
      const trusted = isTrustedSender(event, { windows: trustedWindows(windows), page });
      const win = trusted
        ? windows().find((w) => !w.isDestroyed() && w.webContents.id === event.sender.id)
        : undefined;
      return handler(win ? clientFor(win) : null, payload);
    });
  }
  return {
    clientFor,
    dispose() {
      for (const client of clients.values()) client.close();
      clients.clear();
      for (const channel of requestChannels) ipcMain.removeHandler(ipcChannel(channel));
    },
  };
}
