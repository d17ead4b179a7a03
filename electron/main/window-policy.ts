/**
 * Decisions about windows that need no Electron: what closing the main window does, whether anyone is
 * looking (the monitor polls slower when not), and where the quick view goes next to the tray.
 */

export type CloseDecision = 'quit' | 'hide' | 'hide-and-notify';

export interface CloseContext {
  /** The app is quitting (Quit menu item, Cmd+Q, OS logout): never block it. */
  quitting: boolean;
  /** A tray icon exists; without one a hidden window could never be reached again. */
  hasTray: boolean;
  closeToTray: boolean;
  closeToTrayNoticeShown: boolean;
}

/** What closing the main window does: quit, or keep running in the tray (telling the user once). */
export function decideClose(ctx: CloseContext): CloseDecision {
  if (ctx.quitting || !ctx.hasTray || !ctx.closeToTray) return 'quit';
  return ctx.closeToTrayNoticeShown ? 'hide' : 'hide-and-notify';
}

/** The monitor is "observed" while any of our windows is visible and not minimised. */
export function isObserved(windows: readonly { visible: boolean; minimized: boolean }[]): boolean {
  return windows.some((w) => w.visible && !w.minimized);
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Where the quick view opens: centred on the tray icon, below it when the tray is at the top of the
 * screen (macOS, most Linux panels), above it when at the bottom (Windows), always inside the work
 * area. A zero-size tray rectangle (Linux reports none) falls back to the cursor point.
 */
export function quickViewPosition(
  tray: Rect,
  size: { width: number; height: number },
  workArea: Rect,
  cursor: { x: number; y: number },
): { x: number; y: number } {
  const anchor = tray.width > 0 && tray.height > 0 ? tray : { x: cursor.x, y: cursor.y, width: 0, height: 0 };
  const centerX = anchor.x + anchor.width / 2;
  const atTop = anchor.y + anchor.height / 2 < workArea.y + workArea.height / 2;
  const gap = 4;
  let x = Math.round(centerX - size.width / 2);
  let y = atTop ? anchor.y + anchor.height + gap : anchor.y - size.height - gap;
  x = Math.min(Math.max(x, workArea.x), workArea.x + workArea.width - size.width);
  y = Math.min(Math.max(y, workArea.y), workArea.y + workArea.height - size.height);
  return { x: Math.round(x), y: Math.round(y) };
}
