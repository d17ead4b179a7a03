import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, relative, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/page-security';
import { APP_HOST, APP_SCHEME } from './security-rules';

/**
 * What the portscope:// scheme serves: files of the built renderer folder only. Pure Node (no
 * Electron) so it is tested here on real files; app-protocol.ts hands it to protocol.handle.
 * Replaces file://, whose pages may read any file the user can (Electron checklist 18).
 */

/** The types the built renderer uses; anything else is not ours to serve. */
const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
};

const refuse = (status: number, text: string) =>
  new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });

/**
 * The file a portscope://app/… URL names inside `root`, or null. Refused: another scheme or host,
 * credentials or a port, undecodable escapes, NUL, backslashes, `.`/`..` segments in any spelling
 * (the URL parser folds `..` and `%2e%2e`; an encoded `%2f` is caught here, after decoding), empty
 * segments. `/` is index.html.
 */
export function appFilePath(url: string, root: string): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== `${APP_SCHEME}:` || u.host !== APP_HOST || u.username || u.password || u.port)
    return null;
  let path: string;
  try {
    path = decodeURIComponent(u.pathname);
  } catch {
    return null;
  }
  if (path === '/') path = '/index.html';
  if (path.includes('\0') || path.includes('\\')) return null;
  const segments = path.slice(1).split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return null;
  const file = join(root, ...segments);
  const rel = relative(root, file);
  return rel.startsWith('..') || rel.startsWith(sep) ? null : file;
}

/**
 * Answer one request of the scheme: GET (or HEAD) of a regular file of a known type whose real path
 * (symlinks resolved) is still inside the real `root`. Every answer carries nosniff; pages carry the
 * CSP (set here, so the policy does not hang on webRequest hooks covering a custom scheme).
 */
export async function serveAppFile(request: Request, root: string): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return refuse(405, 'method not allowed');
  const file = appFilePath(request.url, root);
  const type = file ? MIME[extname(file).toLowerCase()] : undefined;
  if (!file || !type) return refuse(404, 'not found');
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    const rel = relative(realRoot, realFile);
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return refuse(404, 'not found');
    if (!(await stat(realFile)).isFile()) return refuse(404, 'not found');
    const body = request.method === 'HEAD' ? null : await readFile(realFile);
    const headers: Record<string, string> = {
      'Content-Type': type,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'no-cache',
    };
    if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    return new Response(body, { status: 200, headers });
  } catch {
    return refuse(404, 'not found');
  }
}
