import { randomBytes } from 'node:crypto';
import { type FileHandle, mkdir, open, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import {
  freshDefaults,
  type Settings,
  type SettingsPatch,
  sanitizeSettings,
  settingsPatchSchema,
} from '../../../shared/settings';
import { moveAside, readSettingsFile, writeBackup } from './settings-file';

/**
 * The settings file: JSON validated with zod on load, written atomically, and never a reason to
 * crash. A file that cannot be parsed is copied aside (0600) before anything replaces it, so nothing
 * is silently lost, and the user is told once. Anything but a small regular file at the path (FIFO,
 * link, directory, device, > 1 MiB) is refused unread and moved aside the same way: settings-file.ts.
 */

export interface LoadResult {
  settings: Settings;
  /** A one-time message for the user when the file was unreadable or partly invalid; else null. */
  notice: string | null;
}

export interface SettingsStore {
  readonly file: string;
  /** Read and validate the file. Never throws: problems become defaults plus a notice. */
  load(): Promise<LoadResult>;
  /** The current settings (defaults before the first load). A copy: mutate through update(). */
  get(): Settings;
  /** Validate a patch (throws SettingsError when invalid), merge it, write the file atomically. */
  update(patch: unknown): Promise<Settings>;
}

/** An update that failed validation; its message lists the fields and why. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const copy = (s: Settings): Settings => ({ ...s, watchedPorts: [...s.watchedPorts] });

/** Where the CLI and the browser mode keep their config (the Electron app uses its userData folder). */
export function cliConfigDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    return path.win32.join(env.APPDATA || path.win32.join(home, 'AppData', 'Roaming'), 'portscope');
  }
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', 'portscope');
  // The XDG spec says a relative XDG_CONFIG_HOME is invalid and must be ignored.
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
  return path.posix.join(base, 'portscope');
}

/** The settings file of the CLI and the browser mode. */
export function cliSettingsFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cliConfigDir(env), 'settings.json');
}

/**
 * Write a file so that readers see the old content or the new, never half of it: a temp file in
 * the same directory (rename is atomic only within one file system), fsync, rename, fsync the dir.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    handle = await open(tmp, 'wx', 0o600);
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    await handle.close();
    handle = undefined;
    await renameWithRetry(tmp, file);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(tmp, { force: true }).catch(() => undefined);
    throw error;
  }
  // So the rename itself survives a power cut. POSIX only: Windows cannot open a directory.
  if (process.platform !== 'win32') {
    const d = await open(dir, 'r').catch(() => undefined);
    await d
      ?.sync()
      .catch(() => undefined)
      .finally(() => d.close());
  }
}

/** On Windows a virus scanner holding the target makes rename fail briefly with EPERM/EBUSY. */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await rename(from, to);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const transient =
        process.platform === 'win32' && (code === 'EPERM' || code === 'EBUSY' || code === 'EACCES');
      if (!transient || attempt >= 5) throw error;
      await new Promise((r) => setTimeout(r, 20 * (attempt + 1)));
    }
  }
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const serialize = (s: Settings) => `${JSON.stringify(s, null, 2)}\n`;

/** A settings store over one JSON file. Loads and updates run one at a time, in call order. */
export function createSettingsStore(file: string, options: { now?: () => Date } = {}): SettingsStore {
  const now = options.now ?? (() => new Date());
  let current = freshDefaults();
  // One queue for every file operation, so concurrent updates never interleave or lose a write.
  let queue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(op: () => Promise<T>): Promise<T> => {
    const run = queue.then(op, op);
    queue = run.catch(() => undefined);
    return run;
  };

  /**
   * Keep the bad file aside (`keep` returns where), then replace it so the notice is shown only
   * once. Without a copy the file is left alone: the user's data must not be silently lost.
   */
  async function recover(
    settings: Settings,
    problem: string,
    outcome: string,
    keep: () => Promise<string>,
    keptAs = 'a copy was kept at',
  ): Promise<LoadResult> {
    current = settings;
    let kept: string;
    try {
      kept = await keep();
    } catch (error) {
      const why = (error as Error).message;
      return {
        settings: copy(current),
        notice: `${problem}; no copy could be kept (${why}), so it was left as is; ${outcome}.`,
      };
    }
    await writeFileAtomic(file, serialize(current)).catch(() => undefined);
    return { settings: copy(current), notice: `${problem}; ${keptAs} ${kept}; ${outcome}.` };
  }

  async function load(): Promise<LoadResult> {
    const read = await readSettingsFile(file);
    if (read.kind === 'missing') {
      current = freshDefaults();
      return { settings: copy(current), notice: null };
    }
    if (read.kind === 'error') {
      current = freshDefaults();
      return {
        settings: copy(current),
        notice: `Your settings file could not be read (${read.code}): ${file}; defaults are in use.`,
      };
    }
    if (read.kind === 'refused') {
      return recover(
        freshDefaults(),
        `Your settings file was refused: ${read.why}`,
        'defaults are in use',
        () => moveAside(file, now()),
        'it was moved aside to',
      );
    }
    const text = read.bytes.toString('utf8');
    const keepCopy = () => writeBackup(file, read.bytes, now());
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (!isPlainObject(data))
      return recover(freshDefaults(), 'Your settings file was unreadable', 'defaults are in use', keepCopy);
    const { settings, reset } = sanitizeSettings(data);
    if (reset.length > 0) {
      const fields = reset.join(', ');
      return recover(
        settings,
        `Some settings were invalid and were reset to their defaults (${fields})`,
        'the other settings were kept',
        keepCopy,
      );
    }
    // Unknown keys (e.g. from a newer version) are dropped at the next write; not worth a notice.
    current = settings;
    return { settings: copy(current), notice: null };
  }

  async function update(patch: unknown): Promise<Settings> {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const why = parsed.error.issues
        .map((i) => `${i.path.join('.') || 'settings'}: ${i.message}`)
        .join('; ');
      throw new SettingsError(`Invalid settings: ${why}`);
    }
    return serialized(async () => {
      const next = copy({ ...current, ...(parsed.data as SettingsPatch) } as Settings);
      await writeFileAtomic(file, serialize(next));
      // Only after the write succeeded: memory never claims what the disk does not hold.
      current = next;
      return copy(current);
    });
  }

  return {
    file,
    load: () => serialized(load),
    get: () => copy(current),
    update,
  };
}
