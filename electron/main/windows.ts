import { BrowserWindow, type BrowserWindowConstructorOptions, type Rectangle, screen } from 'electron';
import { devToolsAllowed, pageUrl, type RendererPage } from './security-rules';
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
  /** app.isPackaged: a packaged build has no DevTools. */
  packaged: boolean;
}

/**
 * Every Portscope window is made here, with the checklist's webPreferences spelled out in this one
 * literal (Electronegativity reads it; EXPECTED_PREFERENCES in security-rules.ts is what tests and the
 * Electron e2e spec check on every webContents).
 */
function secureWindow(
  opts: WindowOptions,
  options: Omit<BrowserWindowConstructorOptions, 'webPreferences'>,
): BrowserWindow {
  return new BrowserWindow({
    ...options,
    webPreferences: {
      preload: opts.preload,
      spellcheck: false,
      // Checklist 3, 4, 2: isolated world, OS sandbox, no Node in the page, workers or frames.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      // Checklist 6, 8, 9: same-origin policy on, no insecure content, no experimental features.
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      // Checklist 12: no <webview>.
      webviewTag: false,
      // Checklist 13/14: a middle click cannot open anything either (window.open is denied anyway).
      disableBlinkFeatures: 'Auxclick',
      // No DevTools in a packaged build: not by menu, accelerator or openDevTools().
      devTools: devToolsAllowed(opts.packaged),
    },
  });
}

/** Load our page (portscope://app or the dev server) with its view parameters; main-initiated, so not a navigation the rules deny. */
function load(win: BrowserWindow, page: RendererPage, params: Record<string, string> = {}): Promise<void> {
  return win.loadURL(pageUrl(page, params));
}

/** The main window, created hidden and shown once it has painted (no white flash, no half layout). */
export function createMainWindow(opts: WindowOptions & { show: boolean }): BrowserWindow {
  const win = secureWindow(opts, {
    width: 1200,
    height: 760,
    minWidth: 720,
    minHeight: 420,
    show: false,
    title: 'Portscope',
    backgroundColor: '#12263f',
    autoHideMenuBar: true,
    ...(opts.icon ? { icon: opts.icon } : {}),
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
  const win = secureWindow(opts, {
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
