import { EventEmitter } from 'node:events';
import { existsSync } from 'node:fs';

/**
 * A stand-in for the 'electron' module, for the one thing that cannot exist here: the Electron
 * binary. It records what the main process asks of Electron (windows, IPC handlers, tray, session
 * rules) so index.test.ts can drive the real lifecycle wiring against the real engine. Only the
 * members Portscope uses are present: using anything else fails loudly.
 */

export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}
export const fakeEvent = (): FakeEvent => ({
  defaultPrevented: false,
  preventDefault() {
    this.defaultPrevented = true;
  },
});

let nextId = 1;

export class FakeWebContents extends EventEmitter {
  readonly id = nextId++;
  readonly mainFrame = { processId: 100 + this.id, routingId: 1, url: '', parent: null };
  readonly sent: [string, unknown][] = [];
  windowOpenHandler: ((d: { url: string }) => { action: string }) | null = null;
  destroyed = false;
  send(channel: string, payload: unknown) {
    this.sent.push([channel, payload]);
  }
  isDestroyed() {
    return this.destroyed;
  }
  getURL() {
    return this.mainFrame.url;
  }
  isDevToolsOpened() {
    return false;
  }
  setWindowOpenHandler(h: (d: { url: string }) => { action: string }) {
    this.windowOpenHandler = h;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  static getAllWindows() {
    return FakeBrowserWindow.all.filter((w) => !w.destroyed);
  }
  readonly webContents = new FakeWebContents();
  visible = false;
  minimized = false;
  destroyed = false;
  position: [number, number] = [0, 0];
  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.all.push(this);
    fake.app.emit('web-contents-created', fakeEvent(), this.webContents);
  }
  async loadURL(url: string) {
    this.webContents.mainFrame.url = url;
    setImmediate(() => this.emit('ready-to-show'));
  }
  show() {
    this.visible = true;
    this.emit('show');
  }
  hide() {
    this.visible = false;
    this.emit('hide');
  }
  focus() {}
  restore() {
    this.minimized = false;
    this.emit('restore');
  }
  isVisible() {
    return this.visible;
  }
  isMinimized() {
    return this.minimized;
  }
  isDestroyed() {
    return this.destroyed;
  }
  setPosition(x: number, y: number) {
    this.position = [x, y];
  }
  /** What a click on the window's close button does: 'close' (preventable), then 'closed'. */
  close() {
    const ev = fakeEvent();
    this.emit('close', ev);
    if (ev.defaultPrevented) return;
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

export class FakeTray extends EventEmitter {
  static last: FakeTray | null = null;
  tooltip = '';
  menu: unknown[] = [];
  destroyed = false;
  constructor(readonly image: { path: string }) {
    super();
    FakeTray.last = this;
  }
  setToolTip(t: string) {
    this.tooltip = t;
  }
  setContextMenu(m: unknown[]) {
    this.menu = m;
  }
  getBounds() {
    return { x: 1800, y: 0, width: 24, height: 24 };
  }
  displayBalloon() {}
  destroy() {
    this.destroyed = true;
  }
}

class FakeApp extends EventEmitter {
  userData = '';
  quitCalls = 0;
  exitCode: number | null = null;
  isPackaged = false;
  appPath = '';
  requestSingleInstanceLock() {
    return true;
  }
  ready = false;
  whenReady() {
    this.ready = true;
    return Promise.resolve();
  }
  getPath(name: string) {
    if (name !== 'userData') throw new Error(`fake app.getPath(${name}) not supported`);
    return this.userData;
  }
  getAppPath() {
    return this.appPath;
  }
  getAppMetrics() {
    return [{ pid: process.pid }];
  }
  setLoginItemSettings() {}
  quit() {
    this.quitCalls += 1;
    const ev = fakeEvent();
    this.emit('before-quit', ev);
    if (!ev.defaultPrevented) this.emit('will-quit', fakeEvent());
  }
  exit(code: number) {
    this.exitCode = code;
  }
}

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;

export const fake = {
  app: new FakeApp(),
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  handlers: new Map<string, Handler>(),
  opened: [] as string[],
  copied: [] as string[],
  notifications: [] as { title: string; body: string }[],
  permissionRequest: null as null | ((wc: unknown, permission: string, cb: (ok: boolean) => void) => void),
  permissionCheck: null as
    | null
    | ((wc: unknown, permission: string, origin: string, details: object) => boolean),
  headers: null as null | ((details: object, cb: (r: object) => void) => void),
  /** protocol.registerSchemesAsPrivileged calls, and whether each came before 'ready'. */
  privilegedSchemes: [] as { scheme: string; privileges?: Record<string, boolean>; beforeReady: boolean }[],
  /** protocol.handle handlers by scheme. */
  protocols: new Map<string, (request: Request) => Promise<Response> | Response>(),
  /** Menu.setApplicationMenu calls (null = no menu bar), in order. */
  applicationMenus: [] as (unknown[] | null)[],
};

/** The module object vi.mock('electron') returns. */
export const electronModule = {
  app: fake.app,
  BrowserWindow: FakeBrowserWindow,
  Tray: FakeTray,
  ipcMain: {
    handle: (channel: string, fn: Handler) => {
      if (fake.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      fake.handlers.set(channel, fn);
    },
    removeHandler: (channel: string) => fake.handlers.delete(channel),
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: typeof fake.permissionRequest) => {
        fake.permissionRequest = fn;
      },
      setPermissionCheckHandler: (fn: typeof fake.permissionCheck) => {
        fake.permissionCheck = fn;
      },
      webRequest: {
        onHeadersReceived: (fn: typeof fake.headers) => {
          fake.headers = fn;
        },
      },
    },
  },
  Menu: {
    buildFromTemplate: (t: unknown[]) => t,
    setApplicationMenu: (menu: unknown[] | null) => fake.applicationMenus.push(menu),
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: { scheme: string; privileges?: Record<string, boolean> }[]) => {
      if (fake.app.ready) throw new Error('registerSchemesAsPrivileged after ready');
      for (const s of schemes) fake.privilegedSchemes.push({ ...s, beforeReady: true });
    },
    handle: (scheme: string, fn: (request: Request) => Promise<Response> | Response) => {
      if (!fake.app.ready) throw new Error('protocol.handle before ready');
      if (fake.protocols.has(scheme)) throw new Error(`second handler for ${scheme}`);
      fake.protocols.set(scheme, fn);
    },
  },
  nativeImage: {
    createFromPath: (path: string) => ({ path, isEmpty: () => !existsSync(path), setTemplateImage() {} }),
  },
  screen: {
    getCursorScreenPoint: () => ({ x: 1800, y: 10 }),
    getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }),
  },
  shell: {
    openExternal: async (url: string) => {
      fake.opened.push(url);
    },
  },
  clipboard: { writeText: (t: string) => fake.copied.push(t) },
  nativeTheme: { themeSource: 'system' as 'system' | 'light' | 'dark' },
  Notification: class {
    static isSupported() {
      return true;
    }
    constructor(readonly opts: { title: string; body: string }) {}
    show() {
      fake.notifications.push({ title: this.opts.title, body: this.opts.body });
    }
  },
};
