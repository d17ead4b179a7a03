import { describe, expect, it } from 'vitest';
import * as channels from '../../shared/channels';
import {
  bridgeMethods,
  bridgeSurface,
  ipcChannel,
  pushChannels,
  requestChannels,
  requestSchemas,
} from '../../shared/contract';
import { createBridge, type IpcLike } from './bridge';

type Listener = (event: unknown, payload: unknown) => void;

/** An in-memory ipcRenderer: records invokes, answers with a scripted envelope, dispatches pushes. */
function fakeIpc(reply: unknown = { ok: true, result: 'R' }) {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const ipc: IpcLike = {
    async invoke(channel, payload) {
      invoked.push([channel, payload]);
      return reply;
    },
    on(channel, l) {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)?.add(l);
    },
    removeListener(channel, l) {
      listeners.get(channel)?.delete(l);
    },
  };
  const emit = (channel: string, payload: unknown) => {
    for (const l of listeners.get(channel) ?? []) l({ sender: 'secret' }, payload);
  };
  return { ipc, invoked, emit, listeners };
}

describe('the channel list', () => {
  it('is the one the contract uses: a schema for every request channel and no other', () => {
    expect(Object.keys(requestSchemas).sort()).toEqual([...channels.requestChannels].sort());
    expect(requestChannels).toBe(channels.requestChannels);
    expect(pushChannels).toEqual(['delta', 'status', 'settings']);
    expect(ipcChannel('port:free')).toBe('portscope:port:free');
  });
});

describe('createBridge', () => {
  it('exposes exactly the named functions of the contract: nothing generic', () => {
    const bridge = createBridge(fakeIpc().ipc);
    expect(Object.keys(bridge).sort()).toEqual(bridgeSurface);
    expect(bridgeSurface).toContain('onSettings');
    expect(bridgeSurface).toContain('freePort');
    for (const v of Object.values(bridge)) expect(typeof v).toBe('function');
    expect(bridge).not.toHaveProperty('invoke');
    expect(bridge).not.toHaveProperty('send');
  });

  it('maps every bridge function to its one IPC channel', async () => {
    const { ipc, invoked } = fakeIpc();
    const bridge = createBridge(ipc) as unknown as Record<string, (p?: unknown) => Promise<unknown>>;
    for (const channel of requestChannels) {
      await expect(bridge[bridgeMethods[channel]]?.({ probe: channel })).resolves.toBe('R');
    }
    expect(invoked.map(([c]) => c)).toEqual(requestChannels.map(ipcChannel));
    // Functions that take a payload forward it unchanged; the main side validates it.
    expect(invoked.find(([c]) => c === ipcChannel('port:open'))?.[1]).toEqual({ probe: 'port:open' });
  });

  it('rejects with the code kept as a [code] prefix (contextBridge copies only the message)', async () => {
    const { ipc } = fakeIpc({
      ok: false,
      error: { code: 'invalid-request', message: 'Invalid port:open request: port: too big' },
    });
    await expect(createBridge(ipc).openPort({ port: 70000 })).rejects.toThrow(
      '[invalid-request] Invalid port:open request: port: too big',
    );
  });

  it('rejects a malformed reply instead of passing it on', async () => {
    const { ipc } = fakeIpc('not an envelope');
    await expect(createBridge(ipc).getStatus()).rejects.toThrow('[internal]');
  });

  it('subscriptions deliver only the payload and stop after unsubscribe', () => {
    const { ipc, emit, listeners } = fakeIpc();
    const got: unknown[] = [];
    const off = createBridge(ipc).onDelta((d) => got.push(d));
    emit(ipcChannel('delta'), { seq: 1 });
    emit(ipcChannel('status'), { state: 'paused' });
    off();
    off(); // idempotent
    emit(ipcChannel('delta'), { seq: 2 });
    expect(got).toEqual([{ seq: 1 }]);
    expect(listeners.get(ipcChannel('delta'))?.size).toBe(0);
  });

  it('settings pushes arrive on their own channel, payload only', () => {
    const { ipc, emit } = fakeIpc();
    const got: unknown[] = [];
    const off = createBridge(ipc).onSettings((s) => got.push(s));
    emit(ipcChannel('status'), { state: 'paused' });
    emit(ipcChannel('settings'), { theme: 'dark' });
    off();
    emit(ipcChannel('settings'), { theme: 'light' });
    expect(got).toEqual([{ theme: 'dark' }]);
  });
});
