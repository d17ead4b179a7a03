import type { MenuItemConstructorOptions } from 'electron';

/**
 * The application menu of a packaged build: nothing that opens DevTools (Electron's default menu has
 * View › Toggle Developer Tools on Ctrl+Shift+I / Alt+Cmd+I). macOS keeps the app, edit (copy and
 * paste shortcuts live there) and window menus; elsewhere there is no menu bar at all (null).
 * An unpackaged development run keeps Electron's default menu, DevTools included.
 */
export function packagedMenuTemplate(platform: NodeJS.Platform): MenuItemConstructorOptions[] | null {
  if (platform !== 'darwin') return null;
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }];
}
