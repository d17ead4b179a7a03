import { ApiError, type PortscopeApi, type PushPayloads } from '../../../shared/contract';
import type { SocketRow } from '../../../shared/model';
import { freshDefaults, type Settings, settingsPatchSchema } from '../../../shared/settings';
import { browserHost, createScriptedApi, desktopHost, type ScriptedApi } from './scripted-api';

/**
 * For the settings tests: the store's scripted api plus settings:get / settings:update that validate
 * with the shared patch schema (as the engine does), keep the saved value and push 'settings' to every
 * listener. The real file and engine path is covered by electron/core/api-settings.test.ts and the e2e.
 */
export interface SettingsApi extends ScriptedApi {
  saved: Settings;
  /** Returned (once) by the next settings:get. */
  notice: string | null;
  currentUser: string | null;
  /** Push settings as another window's save would. */
  pushSettings(s: Settings): void;
}

/** A scripted api with settings channels; `host` picks what host:capabilities says it is. */
export function createSettingsApi(
  rows: SocketRow[] = [],
  host: 'browser' | 'desktop' = 'browser',
): SettingsApi {
  const base = createScriptedApi(rows);
  const listeners = new Set<(s: PushPayloads['settings']) => void>();
  const baseRequest = base.request.bind(base);
  const baseOn = base.on.bind(base);
  const api: SettingsApi = Object.assign(base, {
    capabilities: host === 'desktop' ? desktopHost() : browserHost(),
    saved: freshDefaults(),
    notice: null as string | null,
    currentUser: 'alice' as string | null,
    pushSettings(s: Settings) {
      for (const l of [...listeners]) l(s);
    },
  });
  api.request = (async (channel: string, payload: unknown) => {
    if (channel === 'settings:get') {
      base.requests.push([channel, payload]);
      await Promise.resolve();
      const notice = api.notice;
      api.notice = null;
      return { settings: { ...api.saved }, notice, currentUser: api.currentUser };
    }
    if (channel === 'settings:update') {
      base.requests.push([channel, payload]);
      await Promise.resolve();
      const parsed = settingsPatchSchema.safeParse((payload as { patch?: unknown })?.patch);
      if (!parsed.success) throw new ApiError('invalid-request', `Invalid settings: ${parsed.error.message}`);
      api.saved = { ...api.saved, ...parsed.data } as Settings;
      api.pushSettings({ ...api.saved });
      return { ...api.saved };
    }
    return baseRequest(channel as never, payload as never);
  }) as PortscopeApi['request'];
  api.on = ((channel: string, listener: (p: unknown) => void) => {
    if (channel !== 'settings') return baseOn(channel as never, listener as never);
    listeners.add(listener as (s: Settings) => void);
    return () => listeners.delete(listener as (s: Settings) => void);
  }) as PortscopeApi['on'];
  return api;
}
