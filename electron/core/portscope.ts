import type { KillResult, MonitorStatus, Scope, SocketRow } from '../../shared/model';
import { freshDefaults, type Settings } from '../../shared/settings';
import { createApi, type HostFeatures, type PortscopeCore } from './api/api';
import { createEngine, type Engine } from './engine/engine';
import { tuneHeapForLongRun } from './heap-tuning';
import { attachHistory, type HistoryOption } from './history/history-plugin';
import type { HistoryRecorder } from './history/history-recorder';
import { createKiller, type Killer, type KillerOptions } from './kill';
import { listenerSet, observedKiller, timedEngine } from './metrics/observe';
import { Monitor, type MonitorEvent, type MonitorView, type ViewOptions } from './monitor/monitor';
import { RemoteNames } from './resolve/remote-names';
import { createSettingsStore, type SettingsStore } from './settings/settings';
import { findOnPath } from './sources/which';
import { followMonitor } from './watch/port-watcher';

/**
 * The one composition root: engine, monitor, settings, killer, api and watchers wired once. The
 * desktop app and `portscope serve` call it with their platform bits (how to open a URL, what the
 * host can do, which PIDs are Portscope's own, where the settings live) and add only their shells.
 */

/** What a plugin (history, metrics: later issues) gets: a view of its own and the settings. */
export interface PluginContext {
  /** A view of the monitor; unobserved unless asked, so a plugin alone never speeds up polling. */
  subscribe(options: ViewOptions, listener: (ev: MonitorEvent) => void): MonitorView;
  settings(): Settings | null;
  /** Every finished engine poll: how long it took (ms) and the scope it collected. */
  onPoll(listener: (ms: number, scope: Scope) => void): () => void;
  /** Every process tree the killer signalled (a free-port: one result per root), through any client. */
  onKill(listener: (result: KillResult) => void): () => void;
}

export interface PortscopePlugin {
  name: string;
  /** Called once at start(); the function it returns runs at stop(). */
  start(ctx: PluginContext): (() => void) | undefined;
}

export interface PortscopeOptions {
  /** The settings file; without one settings:* refuse and the defaults apply. */
  settingsFile?: string;
  /** Poll interval, overriding the saved setting (serve --interval). */
  intervalMs?: number;
  idleIntervalMs?: number;
  /** The engine (tests and benches pass their own; default: the platform's sources). */
  engine?: Engine;
  /** Portscope's own processes: a kill never reaches them. */
  protectedPids: () => number[];
  killer?: Omit<KillerOptions, 'protectedPids'>;
  /** Opens a URL in the user's browser; absent in the browser mode. */
  openUrl?: (url: string) => Promise<boolean>;
  /** What the host can do (default: the browser mode's nothing). */
  capabilities?: HostFeatures;
  /** The load notice the page should see (default: all of it); the desktop may show it as a notification instead. */
  pageNotice?: (loaded: { settings: Settings; notice: string | null }) => string | null;
  /** Background watchers: the tray's listening rows and watched-port notifications. */
  watch?: {
    onRows?(rows: SocketRow[], status: Pick<MonitorStatus, 'state'>): void;
    notify?(message: string): void;
  };
  plugins?: readonly PortscopePlugin[];
  /** Record the port history in this folder (electron/core/history); absent: no history. */
  history?: HistoryOption;
  /** Where unexpected api failures go (default stderr). */
  logError?: (channel: string, error: unknown) => void;
}

export interface Portscope {
  monitor: Monitor;
  killer: Killer;
  /** The settings store (loaded), or null without a settings file. */
  settings: SettingsStore | null;
  /** What load() found: the settings and the notice (null when the file was fine). */
  loaded: { settings: Settings; notice: string | null };
  core: PortscopeCore;
  /** The history recorder, or null when this Portscope records none. */
  history: HistoryRecorder | null;
  /** The watchers' view (the tray's pause acts on it), or null when no watcher was asked for. */
  watchers: MonitorView | null;
  /** Every settings change through the api (the desktop applies theme and login item from it). */
  onSettings(listener: (settings: Settings) => void): () => void;
  /** Start polling and the plugins. */
  start(): void;
  /** Stop polling, the watchers and the plugins. */
  stop(): void;
}

/** Whether an administrator prompt can run here: always on macOS and Windows, pkexec on Linux. */
export function canElevate(platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return findOnPath('pkexec') !== null;
}

/** Build Portscope's core for one front door. Loads the settings; nothing polls before start(). */
export async function createPortscope(options: PortscopeOptions): Promise<Portscope> {
  // Every host of the monitor is long-running (the desktop app, serve): see heap-tuning.ts.
  tuneHeapForLongRun();
  const store = options.settingsFile ? createSettingsStore(options.settingsFile) : null;
  // Never throws: an unreadable file means defaults plus a notice.
  const loaded = store ? await store.load() : { settings: freshDefaults(), notice: null };
  const settingsListeners = new Set<(s: Settings) => void>();
  // The api writes through this wrapper, so the shells hear every change the pages make.
  const settings = store
    ? {
        get: () => store.get(),
        update: async (patch: unknown) => {
          const next = await store.update(patch);
          for (const l of [...settingsListeners]) l(next);
          return next;
        },
      }
    : undefined;

  // Remote-address names follow the setting on every poll (turned off: no query leaves the machine).
  const remoteNames = new RemoteNames({
    enabled: () => (store ? store.get() : loaded.settings).resolveRemoteNames,
  });
  // Polls and kills are tapped here, once, for plugins (metrics): the engine and killer stay unaware.
  const polls = listenerSet<[number, Scope]>();
  const kills = listenerSet<[KillResult]>();
  const monitor = new Monitor({
    intervalMs: options.intervalMs ?? loaded.settings.pollIntervalMs,
    ...(options.idleIntervalMs !== undefined ? { idleIntervalMs: options.idleIntervalMs } : {}),
    engine: timedEngine(options.engine ?? createEngine({ remoteNames }), polls.emit),
  });
  const current = () => (store ? store.get() : loaded.settings);
  const baseKiller = createKiller({ ...options.killer, protectedPids: options.protectedPids });
  // With a history, every kill and port free is recorded and the recorder follows the monitor.
  const history = attachHistory(options.history, {
    killer: baseKiller,
    monitor,
    by: options.capabilities?.host ?? 'browser',
    settings: current,
  });
  // Kills are tapped for plugins (metrics) outside the recording, so both see every kill.
  const killer = observedKiller(history.killer, kills.emit);
  const plugins = [...(options.plugins ?? []), ...history.plugins];
  const core = createApi({
    monitor,
    killer,
    ...(options.openUrl ? { openUrl: options.openUrl } : {}),
    ...(settings ? { settings } : {}),
    settingsNotice: options.pageNotice ? options.pageNotice(loaded) : loaded.notice,
    ...(options.capabilities ? { capabilities: options.capabilities } : {}),
    ...(options.logError ? { logError: options.logError } : {}),
    ...(history.query ? { history: { query: history.query } } : {}),
    ...(history.recordAction ? { recordAction: history.recordAction } : {}),
  });

  // Subscribed now, before the first poll: the watchers' first event is then the first poll's
  // snapshot (their baseline), the order production always uses.
  const watchers = options.watch
    ? followMonitor({
        subscribe: (listener) => monitor.subscribe({ scope: 'listening', observed: false }, listener),
        ...(options.watch.onRows ? { onRows: options.watch.onRows } : {}),
        ...(options.watch.notify ? { notify: options.watch.notify } : {}),
        watch: current,
      })
    : null;

  const stops: (() => void)[] = [];
  return {
    monitor,
    killer,
    settings: store,
    loaded,
    core,
    history: history.recorder,
    watchers,
    onSettings(listener) {
      settingsListeners.add(listener);
      return () => settingsListeners.delete(listener);
    },
    start() {
      const ctx: PluginContext = {
        subscribe: (opts, listener) => monitor.subscribe({ observed: false, ...opts }, listener),
        settings: () => (store ? store.get() : null),
        onPoll: polls.add,
        onKill: kills.add,
      };
      for (const plugin of plugins) {
        const stop = plugin.start(ctx);
        if (stop) stops.push(stop);
      }
      monitor.start();
    },
    stop() {
      for (const stop of stops.splice(0)) stop();
      watchers?.close();
      monitor.stop();
    },
  };
}
