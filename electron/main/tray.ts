import { clipboard, Menu, type MenuItemConstructorOptions, nativeImage, Tray } from 'electron';
import type { MonitorStatus, SocketRow } from '../../shared/model';
import type { NoiseRule } from '../../shared/noise-rules';
import { buildTrayMenu, type TrayAction, type TrayMenuItem, trayTooltip } from './tray-menu';

/**
 * The Electron glue for the tray: the pure menu (tray-menu.ts) turned into a Menu, the tooltip, and a
 * left click that toggles the quick view. The menu is rebuilt only when what it shows changed.
 */

export interface TrayHandlers {
  onAction(action: TrayAction): void;
  /** Left click (where the platform delivers it): toggle the quick view at the icon. */
  onToggleQuickView(bounds: Electron.Rectangle): void;
  /** The settings' favourites and hide rules (read on every rebuild, so a change shows next update). */
  noise?(): { favourites: readonly NoiseRule[]; hideRules: readonly NoiseRule[] };
}

export interface PortscopeTray {
  update(rows: readonly SocketRow[], status: Pick<MonitorStatus, 'state'>): void;
  bounds(): Electron.Rectangle;
  displayNotice(title: string, content: string): void;
  destroy(): void;
}

function toElectron(items: TrayMenuItem[], run: (a: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item) => {
    const out: MenuItemConstructorOptions = {};
    if (item.type) out.type = item.type;
    if (item.label !== undefined) out.label = item.label;
    if (item.enabled !== undefined) out.enabled = item.enabled;
    if (item.submenu) out.submenu = toElectron(item.submenu, run);
    const action = item.action;
    if (action) out.click = () => run(action);
    return out;
  });
}

/** Create the tray icon. Throws when the platform has no tray (caller then keeps close = quit). */
export function createTray(iconPath: string, handlers: TrayHandlers): PortscopeTray {
  const image = nativeImage.createFromPath(iconPath);
  if (process.platform === 'darwin') image.setTemplateImage(true);
  const tray = new Tray(image);
  tray.setToolTip('Portscope');
  const run = (action: TrayAction) => {
    // Copying needs nothing from the window, so it happens right here.
    if (action.kind === 'copy-address') clipboard.writeText(action.address);
    else handlers.onAction(action);
  };
  tray.on('click', () => handlers.onToggleQuickView(tray.getBounds()));
  let lastMenu = '';
  let lastTip = '';
  return {
    update(rows, status) {
      const paused = status.state === 'paused';
      // Root sees every process it can: a hidden holder is then in another PID namespace, not another user's.
      const noise = handlers.noise?.();
      const items = buildTrayMenu(rows, {
        paused,
        privileged: process.getuid?.() === 0,
        favourites: noise?.favourites,
        hideRules: noise?.hideRules,
      });
      const key = JSON.stringify(items);
      if (key !== lastMenu) {
        lastMenu = key;
        tray.setContextMenu(Menu.buildFromTemplate(toElectron(items, run)));
      }
      const tip = trayTooltip(rows, { paused });
      if (tip !== lastTip) {
        lastTip = tip;
        tray.setToolTip(tip);
      }
    },
    bounds: () => tray.getBounds(),
    displayNotice(title, content) {
      // Windows shows a balloon from the tray itself; elsewhere the caller uses a Notification.
      if (process.platform === 'win32') tray.displayBalloon({ title, content, iconType: 'info' });
    },
    destroy: () => tray.destroy(),
  };
}
