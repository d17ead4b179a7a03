import { isOwnPageUrl, type RendererPage } from './security-rules';

/**
 * Who may call our IPC handlers: only the main frame of one of our own windows, showing our own page.
 * Pure (structural types instead of Electron's classes) so it is unit-tested without Electron.
 */

/** The parts of Electron's WebFrameMain (event.senderFrame) the check reads. */
export interface SenderFrame {
  url: string;
  processId: number;
  routingId: number;
  /** null for a main (top-level) frame. */
  parent: unknown | null;
}

/** The parts of an IpcMainInvokeEvent the check reads. */
export interface SenderEvent {
  sender: { id: number };
  /** null when the frame navigated or was destroyed before the message was handled. */
  senderFrame: SenderFrame | null;
}

/** One of our windows: its webContents id and the identity of its main frame. */
export interface TrustedWindow {
  webContentsId: number;
  mainFrame: { processId: number; routingId: number };
}

export interface ExpectedSender {
  windows: readonly TrustedWindow[];
  page: RendererPage;
}

/**
 * True only when the message comes from the main frame (not an iframe) of one of our windows'
 * webContents, and that frame shows our renderer page (file URL or dev-server origin).
 * Electron Fiddle's `BrowserWindow.fromWebContents(event.sender)` check, plus the frame and URL.
 * Checklist 17: "Validate the sender of all IPC messages".
 */
export function isTrustedSender(event: SenderEvent, expected: ExpectedSender): boolean {
  const frame = event.senderFrame;
  if (!frame || frame.parent !== null) return false;
  const win = expected.windows.find((w) => w.webContentsId === event.sender.id);
  if (!win) return false;
  if (win.mainFrame.processId !== frame.processId || win.mainFrame.routingId !== frame.routingId)
    return false;
  return isOwnPageUrl(frame.url, expected.page);
}
