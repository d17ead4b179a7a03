import { join } from 'node:path';
import { app, type BrowserWindow, Menu, Notification, nativeTheme, session } from 'electron';
import type { SocketRow } from '../../shared/model';
import { historyDir } from '../core/history/history-dir';
import { canElevate, createPortscope } from '../core/portscope';
import { packagedMenuTemplate } from './app-menu';
import { registerAppScheme, serveAppScheme } from './app-protocol';
import { trayIconPath, windowIconPath } from './assets';
import { registerIpc } from './ipc';
import { hardenSession, hardenWebContents, openExternalSafely } from './security';
import { rendererPage } from './security-rules';
import { createSettingsApplier } from './settings-effects';
import { createTray, type PortscopeTray } from './tray';
import type { TrayAction } from './tray-menu';
import { decideClose, isObserved } from './window-policy';
import { createMainWindow, createQuickWindow, showQuickWindowAt } from './windows';

/**
 * Portscope's main process: lifecycle only. The engine (Monitor, Killer, api) is plain Node from
 * electron/core; security rules, IPC, windows and the tray each live in their own file.
 */

// Before 'ready' (Electron's rule): the renderer's own privileged scheme, portscope://app.
registerAppScheme();

// A second launch focuses the running app instead of starting another poller and tray icon.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  // Windows shows notifications only for an app with an AppUserModelID (the installer's appId).
  if (process.platform === 'win32') app.setAppUserModelId('dev.portscope.app');
  // A failure anywhere in start-up is reported and ends the app, instead of leaving a process with no window.
  app.whenReady().then(start).catch(fail);
}

function fail(e: unknown): void {
  console.error(`Portscope could not start: ${(e as Error)?.message ?? e}`);
  app.exit(1);
}

async function start(): Promise<void> {
  // A packaged app ignores ELECTRON_RENDERER_URL and every other dev-only path (security-rules.ts).
  const packaged = app.isPackaged;
  const page = rendererPage(process.env, __dirname, packaged);
  if (page.kind === 'app') serveAppScheme(page.root);
  if (packaged) {
    const template = packagedMenuTemplate(process.platform);
    Menu.setApplicationMenu(template ? Menu.buildFromTemplate(template) : null);
  }
  const preload = join(__dirname, '..', 'preload', 'index.cjs');
  const assets = {
    packaged,
    resourcesPath: process.resourcesPath,
    appPath: app.getAppPath(),
    platform: process.platform,
  };
  hardenSession(session.defaultSession, page);

  // The tray is created below, after the core: the watchers' rows wait here until it exists.
  let tray: PortscopeTray | null = null;
  let trayRows: { rows: SocketRow[]; state: 'polling' | 'paused' } = { rows: [], state: 'polling' };
  const portscope = await createPortscope({
    settingsFile: join(app.getPath('userData'), 'settings.json'),
    // Never let a kill reach Portscope itself or any of its helper processes (GPU, renderers, utility).
    protectedPids: () => [process.pid, ...app.getAppMetrics().map((m) => m.pid)],
    openUrl: openExternalSafely,
    // The tray is only known after start-up; the renderer asks after its window loaded.
    capabilities: {
      host: 'desktop',
      openUrl: true,
      elevate: canElevate(process.platform),
      get tray() {
        return tray !== null;
      },
      notifications: true,
    },
    // Started hidden in the tray, nobody would see a toast: the notice becomes a notification instead.
    pageNotice: ({ settings, notice }) => (settings.startMinimized ? null : notice),
    // The user's data folder, not userData: `portscope history` (plain Node) must find it too.
    history: { dir: historyDir() },
    watch: {
      onRows: (rows, status) => {
        trayRows = { rows, state: status.state };
        tray?.update(rows, status);
      },
      notify: (message) => notify('Portscope', message),
    },
  });
  const settingsStore = portscope.settings as NonNullable<typeof portscope.settings>;
  const { settings, notice } = portscope.loaded;
  const noticeInWindow = settings.startMinimized ? null : notice;
  // Login item and native theme now and after every change (settings:update).
  const applySettings = createSettingsApplier({
    platform: process.platform,
    setOpenAtLogin: (openAtLogin) => app.setLoginItemSettings({ openAtLogin }),
    setThemeSource: (theme) => {
      nativeTheme.themeSource = theme;
    },
  });
  applySettings(settings);
  const stopApplying = portscope.onSettings(applySettings);
  // The tray's own client (open a port from its menu); nobody looks at it, so it never speeds polling.
  const shell = portscope.core.connect(() => {}, { observed: false });

  let quitting = false;
  let quick: BrowserWindow | null = null;
  const icon = windowIconPath(assets);
  const main = createMainWindow({ page, preload, icon, show: false, packaged });
  const windows = () => [main, quick].filter((w): w is BrowserWindow => w !== null && !w.isDestroyed());
  const ipc = registerIpc(portscope.core, windows, page);

  // Each window is its own client: a visible one polls fast and may show all sockets; a hidden or
  // minimised one counts as nobody looking (the monitor then polls slowly, only what others need).
  const updateObserved = () => {
    for (const w of windows()) {
      const observed = isObserved([{ visible: w.isVisible(), minimized: w.isMinimized() }]);
      ipc.clientFor(w).setObserved(observed);
    }
  };
  const watchVisibility = (w: BrowserWindow) => {
    for (const ev of ['show', 'hide', 'minimize', 'restore', 'closed'] as const) {
      w.on(ev as 'show', () => setImmediate(updateObserved));
    }
  };
  watchVisibility(main);
  updateObserved();

  const showMain = () => {
    if (main.isDestroyed()) return;
    if (main.isMinimized()) main.restore();
    main.show();
    main.focus();
  };
  // Clicking the tray icon while the quick view is open first blurs (and so hides) it, then delivers
  // 'click': a click right after a blur-hide means "close", not "open again".
  let quickHiddenAt = 0;
  const toggleQuickView = (query?: string) => {
    if (!tray) return;
    if (!quick || quick.isDestroyed()) {
      quick = createQuickWindow({ page, preload, packaged });
      quick.on('hide', () => {
        quickHiddenAt = Date.now();
      });
      watchVisibility(quick);
    }
    const justHidden = Date.now() - quickHiddenAt < 300;
    if (query === undefined && (quick.isVisible() || justHidden)) quick.hide();
    else showQuickWindowAt(quick, page, tray.bounds(), query);
  };
  const onTrayAction = (action: TrayAction) => {
    const report = (p: Promise<unknown>) =>
      p.catch((e: unknown) => console.error(`Portscope: ${(e as Error)?.message ?? e}`));
    switch (action.kind) {
      case 'open-port':
        return void report(shell.invoke('port:open', { port: action.port }));
      case 'kill':
        // The confirmation lives in the renderer (one implementation): open the quick view on the port.
        return toggleQuickView(String(action.port));
      case 'free-port':
        return toggleQuickView('');
      // The tray's pause freezes the tray's own view; windows keep theirs (pause is per client).
      case 'pause':
        return void portscope.watchers?.pause();
      case 'resume':
        return void portscope.watchers?.resume();
      case 'show':
      case 'more':
        return showMain();
      case 'quit':
        return app.quit();
      case 'copy-address':
        return; // handled in tray.ts (clipboard)
    }
  };

  try {
    tray = createTray(trayIconPath(assets), {
      onAction: onTrayAction,
      onToggleQuickView: () => toggleQuickView(),
      noise: () => settingsStore.get(),
    });
  } catch (e) {
    // No tray on this desktop: closing the window quits, as before the tray existed.
    console.warn(`Portscope: no tray icon (${(e as Error)?.message ?? e}); closing the window will quit.`);
  }

  tray?.update(trayRows.rows, { state: trayRows.state });

  main.on('close', (event) => {
    const current = settingsStore.get();
    const decision = decideClose({
      quitting,
      hasTray: tray !== null,
      closeToTray: current.closeToTray,
      closeToTrayNoticeShown: current.closeToTrayNoticeShown,
    });
    if (decision === 'quit') return;
    event.preventDefault();
    main.hide();
    if (decision === 'hide-and-notify') {
      notify(
        'Portscope is still running',
        'It lives in the tray. Use Quit Portscope in the tray menu to exit.',
      );
      void settingsStore.update({ closeToTrayNoticeShown: true }).catch(() => {});
    }
  });
  main.on('closed', () => app.quit());
  main.once('ready-to-show', () => {
    if (!(settings.startMinimized && tray)) showMain();
    updateObserved();
  });

  /** A desktop notification (a tray balloon on Windows, where that is the native way). */
  function notify(title: string, body: string): void {
    if (process.platform === 'win32' && tray) tray.displayNotice(title, body);
    else if (Notification.isSupported()) new Notification({ title, body, silent: true }).show();
  }
  if (notice && !noticeInWindow) main.once('ready-to-show', () => notify('Portscope settings', notice));

  app.on('second-instance', showMain);
  app.on('activate', showMain);
  app.on('before-quit', () => {
    quitting = true;
  });
  app.on('will-quit', () => {
    ipc.dispose();
    stopApplying();
    shell.close();
    portscope.stop();
    tray?.destroy();
  });
  portscope.start();
}
