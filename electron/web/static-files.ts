import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, resolve, sep } from 'node:path';
import { deny, SECURITY_HEADERS } from './security';

/**
 * Static files of the built renderer. Only regular files under the root are served (after
 * resolving symlinks), with a fixed MIME table and never a directory listing.
 */

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** MIME type by extension; unknown types are served as opaque bytes (nosniff keeps them inert). */
export function mimeType(file: string): string {
  return MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Map a URL path to a file under root, or null when it is not a safe, plain path
 * (bad escapes, NUL, backslashes, dot segments that climb out).
 */
export function resolveStaticPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return null;
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const full = resolve(root, relative);
  if (full !== root && !full.startsWith(root + sep)) return null;
  return full;
}

/** Serve one GET/HEAD for a static file; 404 for anything that is not a regular file under root. */
export async function serveStatic(
  req: IncomingMessage,
  res: ServerResponse,
  root: string,
  urlPath: string,
): Promise<void> {
  const file = resolveStaticPath(root, urlPath);
  if (!file) return deny(res, 404, 'Not found');
  let real: string;
  let realRoot: string;
  try {
    [real, realRoot] = await Promise.all([realpath(file), realpath(root)]);
  } catch {
    if (urlPath === '/') return deny(res, 503, 'The Portscope UI is not built. Run `npm run build` first.');
    return deny(res, 404, 'Not found');
  }
  // A symlink inside the build must not lead outside it.
  if (!real.startsWith(realRoot + sep)) return deny(res, 404, 'Not found');
  const info = await stat(real).catch(() => null);
  if (!info?.isFile()) return deny(res, 404, 'Not found');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': mimeType(real),
    'Content-Length': String(info.size),
    // The HTML names hashed assets, so it must not be cached; the assets may be.
    'Cache-Control': real.endsWith('.html') ? 'no-store' : 'private, max-age=3600',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(real);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
