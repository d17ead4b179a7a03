import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { constants, lstatSync, mkdtempSync, rmdirSync, unlinkSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * Opening the browser without putting the login URL in anyone's argv: a launcher's command line
 * (`xdg-open <url>`, then the browser's own) is readable by every local user in `ps`. Like
 * Jupyter's jpserver-*-open.html, the URL goes into a small HTML file only this user can read,
 * in their runtime directory, and the browser is opened on that file's path. The file forwards
 * to the full URL (fragment included) and is removed when the server stops.
 */

export interface Forwarder {
  /** Absolute path of the 0600 HTML file. */
  file: string;
  /** Delete the file (and the private directory made for it); safe to call more than once. */
  remove(): void;
}

const escapeAttr = (s: string) =>
  s
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');

/** The forwarding page: script redirect, a meta refresh without script, and a link as last resort. */
export function forwarderHtml(url: string): string {
  // JSON is a JS string literal; escape what could end the script element or a JS line.
  const js = JSON.stringify(url)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  const attr = escapeAttr(url);
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="referrer" content="no-referrer">
<meta http-equiv="refresh" content="0;url=${attr}">
<title>Opening Portscope…</title>
<script>location.replace(${js});</script>
</head>
<body><p>Opening <a href="${attr}">Portscope</a>…</p></body>
</html>
`;
}

/** $XDG_RUNTIME_DIR when it is what the spec promises: absolute, a directory, ours, mode 0700. */
function usableRuntimeDir(env: NodeJS.ProcessEnv): string | null {
  const dir = env.XDG_RUNTIME_DIR;
  if (!dir || !path.isAbsolute(dir)) return null;
  try {
    const st = lstatSync(dir);
    // sudo may pass on the invoking user's runtime dir: not ours, so not used.
    const ours = typeof process.getuid !== 'function' || st.uid === process.getuid();
    return st.isDirectory() && ours && (st.mode & 0o077) === 0 ? dir : null;
  } catch {
    return null;
  }
}

/**
 * Write the forwarding file: in $XDG_RUNTIME_DIR, else in a fresh private (0700) directory under
 * the temp dir; created exclusively, never through a link, mode 0600. Also removed at process exit.
 */
export async function writeForwarder(
  url: string,
  env: NodeJS.ProcessEnv = process.env,
  tempRoot: string = tmpdir(),
): Promise<Forwarder> {
  const runtime = usableRuntimeDir(env);
  // mkdtemp makes the directory 0700.
  const dir = runtime ?? mkdtempSync(path.join(tempRoot, 'portscope-'));
  const file = path.join(dir, `portscope-${process.pid}-${randomBytes(6).toString('hex')}-open.html`);
  const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    try {
      unlinkSync(file);
    } catch {
      // Already gone.
    }
    if (!runtime) {
      try {
        rmdirSync(dir);
      } catch {
        // Not empty or gone: leave it.
      }
    }
  };
  // A crash or process.exit() must not leave the token behind either.
  process.on('exit', remove);
  try {
    const handle = await open(file, flags, 0o600);
    try {
      await handle.writeFile(forwarderHtml(url), 'utf8');
    } finally {
      await handle.close();
    }
  } catch (error) {
    remove();
    throw error;
  }
  return { file, remove };
}

/**
 * The launcher: $BROWSER when set (its first `:`-separated entry, split on spaces, `%s` replaced by
 * the target or the target appended: no shell), else the platform's opener. The target is a file
 * path, never the URL.
 */
export function browserCommand(
  platform: NodeJS.Platform,
  target: string,
  env: NodeJS.ProcessEnv = {},
): { file: string; args: string[] } {
  const chosen = env.BROWSER?.split(':')[0]?.trim();
  if (chosen) {
    const [file, ...rest] = chosen.split(/\s+/) as [string, ...string[]];
    const args = rest.some((a) => a.includes('%s'))
      ? rest.map((a) => a.replace('%s', target))
      : [...rest, target];
    return { file, args };
  }
  if (platform === 'darwin') return { file: 'open', args: [target] };
  // `start` is a cmd built-in; the empty "" is its window title, so the target is never taken for one.
  if (platform === 'win32') return { file: 'cmd', args: ['/c', 'start', '""', target] };
  return { file: 'xdg-open', args: [target] };
}

/** Is there a graphical session to open a browser in? (Always assumed on macOS and Windows.) */
export function hasDesktop(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/** Launch the browser on a file; true when the launcher started and did not fail quickly. */
export function openInBrowser(
  target: string,
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): Promise<boolean> {
  // Without a display (ssh, a server) xdg-open could only fall back to a terminal browser.
  if (!hasDesktop(platform, env)) return Promise.resolve(false);
  const { file, args } = browserCommand(platform, target, env);
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(file, args, { stdio: 'ignore', detached: true, env, windowsVerbatimArguments: false });
    } catch {
      resolve(false);
      return;
    }
    // Some launchers stay up as long as the browser does: give up waiting, not on the browser.
    const timer = setTimeout(() => {
      child.unref();
      resolve(true);
    }, 3_000);
    child.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code === 0);
    });
  });
}
