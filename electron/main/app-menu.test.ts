import { describe, expect, it } from 'vitest';
import { packagedMenuTemplate } from './app-menu';

// Electron's default menu has View › Toggle Developer Tools (Ctrl+Shift+I): a packaged build replaces it.
describe('packagedMenuTemplate', () => {
  it('has no menu bar on Linux and Windows', () => {
    expect(packagedMenuTemplate('linux')).toBeNull();
    expect(packagedMenuTemplate('win32')).toBeNull();
  });

  it('keeps the app, edit and window menus on macOS, and nothing that holds Toggle Developer Tools', () => {
    const roles = packagedMenuTemplate('darwin')?.map((i) => i.role);
    expect(roles).toEqual(['appMenu', 'editMenu', 'windowMenu']);
    expect(roles).not.toContain('viewMenu');
    expect(roles).not.toContain('toggleDevTools');
  });
});
