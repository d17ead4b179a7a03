import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_ICON_SIZES, assetDir, TRAY_FILES, trayIconPath, windowIconPath } from './assets';

const root = join(__dirname, '..', '..');
const checkout = { packaged: false, resourcesPath: '/nowhere', appPath: root };

/** Width and height from a PNG's IHDR chunk (bytes 16..24). */
function pngSize(file: string): { width: number; height: number; colorType: number } {
  const b = readFileSync(file);
  expect(b.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20), colorType: b.readUInt8(25) };
}

/** The image sizes inside an .ico (ICONDIR entries; 0 means 256). */
function icoSizes(file: string): number[] {
  const b = readFileSync(file);
  expect(b.readUInt16LE(0)).toBe(0);
  expect(b.readUInt16LE(2)).toBe(1);
  const n = b.readUInt16LE(4);
  return Array.from({ length: n }, (_, i) => b.readUInt8(6 + i * 16) || 256);
}

describe('app icons (electron-builder)', () => {
  it.each(APP_ICON_SIZES)('build/icons/%i px PNG exists at its size, with alpha', (size) => {
    const file = join(root, 'build', 'icons', `${size}x${size}.png`);
    expect(pngSize(file)).toEqual({ width: size, height: size, colorType: 6 });
  });

  it('icon.ico holds 16 to 256 px', () => {
    expect(icoSizes(join(root, 'build', 'icon.ico'))).toEqual(expect.arrayContaining([16, 24, 32, 48, 256]));
  });

  it('icon.icns is an icns family with the 1024 px (ic10) and 512 px (ic09) images', () => {
    const b = readFileSync(join(root, 'build', 'icon.icns'));
    expect(b.subarray(0, 4).toString('latin1')).toBe('icns');
    expect(b.readUInt32BE(4)).toBe(b.length);
    const types: string[] = [];
    for (let at = 8; at < b.length; at += b.readUInt32BE(at + 4))
      types.push(b.subarray(at, at + 4).toString('latin1'));
    expect(types).toEqual(expect.arrayContaining(['ic10', 'ic09', 'ic08']));
  });

  it('the source image and the entitlements file are committed beside them', () => {
    expect(readFileSync(join(root, 'build', 'icon.svg'), 'utf8')).toContain('id="background"');
    expect(existsSync(join(root, 'build', 'entitlements.mac.plist'))).toBe(true);
  });
});

describe('tray icons', () => {
  it.each(TRAY_FILES)('build/tray/%s exists', (name) => {
    expect(existsSync(join(root, 'build', 'tray', name))).toBe(true);
  });

  it.each([
    ['trayTemplate.png', 16],
    ['trayTemplate@2x.png', 32],
    ['tray-22.png', 22],
    ['tray-22@2x.png', 44],
    ['tray-24.png', 24],
    ['tray-24@2x.png', 48],
  ] as const)('%s is %i px', (name, size) => {
    const s = pngSize(join(root, 'build', 'tray', name));
    expect([s.width, s.height]).toEqual([size, size]);
  });

  it('the macOS template image is black plus alpha only', (ctx) => {
    // ImageMagick reports the brightest red/green/blue over the whole image: all 0 means black only.
    let out = '';
    try {
      out = execFileSync(
        'convert',
        [
          join(root, 'build', 'tray', 'trayTemplate@2x.png'),
          '-format',
          '%[fx:maxima.r] %[fx:maxima.g] %[fx:maxima.b] %[opaque]',
          'info:',
        ],
        // stderr captured: a missing or stand-in `convert` must not print a failure-looking line.
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
    } catch {
      // The size checks above still hold; the summary of `npm test` names this reason.
      ctx.skip('ImageMagick (convert) is not installed: the template image colours were not checked');
    }
    expect(out.trim().toLowerCase()).toBe('0 0 0 false');
  });

  it('tray.ico covers 100-200 % scaling', () => {
    expect(icoSizes(join(root, 'build', 'tray', 'tray.ico'))).toEqual(expect.arrayContaining([16, 24, 32]));
  });

  it('resolves the platform tray image to a committed file in a checkout', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      expect(existsSync(trayIconPath({ ...checkout, platform }))).toBe(true);
      expect(existsSync(windowIconPath({ ...checkout, platform }))).toBe(true);
    }
  });

  it('looks in <resources>/icons in a packaged app', () => {
    expect(
      assetDir({
        packaged: true,
        resourcesPath: '/opt/Portscope/resources',
        appPath: '/x',
        platform: 'linux',
      }),
    ).toBe(join('/opt/Portscope/resources', 'icons'));
  });
});
