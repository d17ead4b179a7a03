import { join } from 'node:path';

/**
 * Where the tray and window icons are: build/ in a checkout, `<resources>/icons` in a packaged app
 * (electron-builder.yml copies build/tray and the app PNGs there as extraResources, since files:
 * holds only out/**). Pure path logic, unit-tested against the committed files.
 */

export interface AssetContext {
  packaged: boolean;
  /** process.resourcesPath in a packaged app. */
  resourcesPath: string;
  /** The app's root in a checkout (the folder holding package.json). */
  appPath: string;
  platform: NodeJS.Platform;
}

/** The folder holding tray/ and icons/. */
export function assetDir(ctx: AssetContext): string {
  return ctx.packaged ? join(ctx.resourcesPath, 'icons') : join(ctx.appPath, 'build');
}

/**
 * The tray image for this platform. macOS: a template (black + alpha; the menu bar recolours it and
 * Electron picks @2x beside it). Windows: a multi-size .ico. Linux: 22 px (the common panel size);
 * Electron loads tray-22@2x.png beside it on HiDPI.
 */
export function trayIconPath(ctx: AssetContext): string {
  const dir = join(assetDir(ctx), 'tray');
  if (ctx.platform === 'darwin') return join(dir, 'trayTemplate.png');
  if (ctx.platform === 'win32') return join(dir, 'tray.ico');
  return join(dir, 'tray-22.png');
}

/** The window icon (Linux and Windows use it for the title bar and task switcher; macOS ignores it). */
export function windowIconPath(ctx: AssetContext): string {
  if (ctx.platform === 'win32') return join(assetDir(ctx), 'icon.ico');
  return join(assetDir(ctx), 'icons', '256x256.png');
}

/** Every file the tray needs on each platform (used by the packaging check and the icon test). */
export const TRAY_FILES = [
  'trayTemplate.png',
  'trayTemplate@2x.png',
  'tray-22.png',
  'tray-22@2x.png',
  'tray-24.png',
  'tray-24@2x.png',
  'tray.ico',
] as const;

/** App icon PNG sizes electron-builder uses (Linux icon set; 1024 for macOS). */
export const APP_ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
