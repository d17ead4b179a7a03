// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type PortscopeBridge } from '../../../shared/contract';
import type { Delta, MonitorStatus } from '../../../shared/model';
import { type ClosableApi, getApi, normalizeBridgeError, sameOriginWsUrl, setApi } from './index';

/**
 * Transport choice and the bridge mapping. The bridge here is what the preload exposes, built in
 * the test because no Electron binary can run here; the WebSocket side is tested end to end in
 * electron/web/ws-transport.test.ts against the real server.
 */

const status: MonitorStatus = {
  state: 'paused',
  intervalMs: 1000,
  scope: 'listening',
  lastUpdate: null,
  stale: false,
  errors: [],
  observed: true,
};

function recordingBridge() {
  const calls: [string, unknown[]][] = [];
  const deltaListeners = new Set<(d: Delta) => void>();
  const settingsListeners = new Set<(s: unknown) => void>();
  const method =
    (name: string, result: unknown = status) =>
    async (...args: unknown[]) => {
      calls.push([name, args]);
      if (result instanceof Error) throw result;
      return result;
    };
  const bridge = {
    getSnapshot: method('getSnapshot', { seq: 1, takenAt: 0, scope: 'listening', rows: [], errors: [] }),
    pause: method('pause'),
    resume: method('resume'),
    setInterval: method('setInterval'),
    setScope: method('setScope'),
    getStatus: method('getStatus'),
    killPlan: method(
      'killPlan',
      new Error("Error invoking remote method 'portscope:kill:plan': ApiError: [refused] no"),
    ),
    kill: method('kill'),
    openPort: method('openPort', { opened: true, url: 'http://localhost:3000/' }),
    onDelta: (l: (d: Delta) => void) => {
      deltaListeners.add(l);
      return () => deltaListeners.delete(l);
    },
    onStatus: () => () => {},
    getSettings: method('getSettings', { settings: {}, notice: null }),
    updateSettings: method('updateSettings', {}),
    onSettings: (l: (s: unknown) => void) => {
      settingsListeners.add(l);
      return () => settingsListeners.delete(l);
    },
  } as unknown as PortscopeBridge;
  return { bridge, calls, deltaListeners, settingsListeners };
}

afterEach(() => {
  setApi(null);
  delete window.portscope;
});

describe('getApi', () => {
  it('uses the preload bridge when window.portscope exists, one named function per channel', async () => {
    const { bridge, calls, deltaListeners } = recordingBridge();
    window.portscope = bridge;
    const api = getApi();
    expect(api.transport).toBe('bridge');
    expect(getApi()).toBe(api);
    await api.request('monitor:set-interval', { intervalMs: 500 });
    await api.request('port:open', { port: 3000 });
    expect(calls).toEqual([
      ['setInterval', [{ intervalMs: 500 }]],
      ['openPort', [{ port: 3000 }]],
    ]);
    const states: string[] = [];
    api.onConnection((s) => states.push(s));
    expect(states).toEqual(['open']);
    const seen: number[] = [];
    const off = api.on('delta', (d) => seen.push(d.seq));
    for (const l of deltaListeners) l({ seq: 7, takenAt: 0, added: [], removed: [], changed: [] });
    off();
    expect(seen).toEqual([7]);
    expect(deltaListeners.size).toBe(0);
  });

  it('maps the settings channels and the settings push to their bridge functions', async () => {
    const { bridge, calls, settingsListeners } = recordingBridge();
    window.portscope = bridge;
    const api = getApi();
    await api.request('settings:get', {});
    await api.request('settings:update', { patch: { theme: 'dark' } });
    expect(calls).toEqual([
      ['getSettings', [{}]],
      ['updateSettings', [{ patch: { theme: 'dark' } }]],
    ]);
    const seen: unknown[] = [];
    const off = api.on('settings', (s) => seen.push(s.theme));
    for (const l of settingsListeners) l({ theme: 'light' });
    off();
    expect(seen).toEqual(['light']);
    expect(settingsListeners.size).toBe(0);
  });

  it('an unknown push channel is an error, not rerouted to another subscription', () => {
    window.portscope = recordingBridge().bridge;
    expect(() => getApi().on('metrics' as never, () => {})).toThrow(/Unknown push channel: metrics/);
  });

  it('turns IPC errors back into ApiError with their code', async () => {
    const { bridge } = recordingBridge();
    window.portscope = bridge;
    const err = await getApi()
      .request('kill:plan', { target: { pid: 5, startId: '1' } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ code: 'refused', message: 'no' });
    expect(normalizeBridgeError(new Error('boom'))).toMatchObject({ code: 'internal', message: 'boom' });
  });

  it('falls back to a same-origin WebSocket in the browser mode', () => {
    const api = getApi() as ClosableApi;
    expect(api.transport).toBe('websocket');
    api.close();
    expect(sameOriginWsUrl({ protocol: 'http:', host: '127.0.0.1:4000' })).toBe('ws://127.0.0.1:4000/ws');
    expect(sameOriginWsUrl({ protocol: 'https:', host: 'example.test' })).toBe('wss://example.test/ws');
  });
});
