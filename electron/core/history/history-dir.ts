import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where the history lives: the user's data folder, the same for the desktop app, `portscope serve`
 * and the CLI, so `portscope history` reads what the app recorded (the app's settings sit in its
 * userData folder, but the history must be found by a plain Node process too).
 * Linux: $XDG_DATA_HOME/portscope/history (~/.local/share/…); macOS: ~/Library/Application
 * Support/portscope/history; Windows: %LOCALAPPDATA%\portscope\history.
 */
export function historyDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const base = env.LOCALAPPDATA || path.win32.join(home, 'AppData', 'Local');
    return path.win32.join(base, 'portscope', 'history');
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', 'portscope', 'history');
  }
  // A relative XDG_DATA_HOME is invalid by the XDG spec and ignored.
  const xdg = env.XDG_DATA_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.local', 'share');
  return path.posix.join(base, 'portscope', 'history');
}

/** `serve`'s folder: the one given, else beside a settings file that was named, else historyDir(). */
export function serveHistoryDir(io: { historyDir?: string; settingsFile?: string }): string {
  if (io.historyDir) return io.historyDir;
  if (io.settingsFile) return path.join(path.dirname(io.settingsFile), 'history');
  return historyDir();
}
