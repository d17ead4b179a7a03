import { BrowserWindow, type Rectangle, screen } from 'electron';
import { pageUrl, type RendererPage, secureWebPreferences } from './security-rules';
import { quickViewPosition } from './window-policy';

/**
 * The two windows: the main table and the tray's quick view. Both load the same renderer with the
 * same secure preferences; the quick view selects its view with `?view=quick`.
 */

export interface WindowOptions {
  page: RendererPage;
  /** Absolute path of out/preload/index.cjs. */
  preload: string;
  icon?: string;
}

/** Load our page (file:// or the dev server) with its view parameters; main-initiated, so not a navigation the rules deny. */
function load(win: BrowserWindow, page: RendererPage, params: Record<string, string> = {}): Promise<void> {
  return win.loadURL(pageUrl(page, params));
}

/** The main window, created hidden and shown once it has painted (no white flash, no half layout). */
export function createMainWindow(opts: WindowOptions & { show: boolean }): BrowserWindow {
  const win = new BrowserWindow({
    width: 1200,
    height: 760,
    minWidth: 720,
    minHeight: 420,
    show: false,
    title: 'Portscope',
    backgroundColor: '#12263f',
    autoHideMenuBar: true,
    ...(opts.icon ? { icon: opts.icon } : {}),
    webPreferences: secureWebPreferences(opts.preload),
  });
  win.once('ready-to-show', () => {
    if (opts.show) win.show();
  });
  void load(win, opts.page).catch((e: unknown) => {
    console.error(`Portscope: could not load the window: ${(e as Error)?.message ?? e}`);
  });
  return win;
}

export const QUICK_VIEW_SIZE = { width: 360, height: 440 } as const;

/** The quick view: small, frameless, not in the taskbar, hidden (not closed) when it loses focus. */
export function createQuickWindow(opts: WindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    ...QUICK_VIEW_SIZE,
    show: false,
    frame: false,
    resizable: false,
    movable: false,
    minimizable: false,
    maximizable: false,
    fullscreenable: false,
    skipTaskbar: true,
    alwaysOnTop: true,
    title: 'Portscope quick view',
    backgroundColor: '#12263f',
    webPreferences: secureWebPreferences(opts.preload),
  });
  win.on('blur', () => {
    if (!win.webContents.isDevToolsOpened()) win.hide();
  });
  void load(win, opts.page, { view: 'quick' }).catch((e: unknown) => {
    console.error(`Portscope: could not load the quick view: ${(e as Error)?.message ?? e}`);
  });
  return win;
}

/** Show the quick view next to the tray icon, on the display the tray is on. */
export function showQuickWindowAt(
  win: BrowserWindow,
  page: RendererPage,
  trayBounds: Rectangle,
  query?: string,
): void {
  const cursor = screen.getCursorScreenPoint();
  const anchor = trayBounds.width > 0 ? { x: trayBounds.x, y: trayBounds.y } : cursor;
  const { workArea } = screen.getDisplayNearestPoint(anchor);
  const { x, y } = quickViewPosition(trayBounds, QUICK_VIEW_SIZE, workArea, cursor);
  win.setPosition(x, y, false);
  if (query !== undefined) {
    // Prefill the search box (the quick view reads ?q=), e.g. "3000" from the tray's Kill… item.
    // Built from our page, not from getURL(): a window created a moment ago has no URL yet.
    void load(win, page, { view: 'quick', q: query }).catch((e: unknown) => {
      console.error(`Portscope: could not load the quick view: ${(e as Error)?.message ?? e}`);
    });
  }
  win.show();
  win.focus();
}
