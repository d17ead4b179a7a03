import { describe, expect, it } from 'vitest';
import { ApiError, ipcChannel, requestChannels } from '../../shared/contract';
import { type PackedDelta, unpackDelta } from '../../shared/wire';
import { createIpcRouter, type PushTarget, pushToAll } from './ipc-router';

/** A window's api client that records what reached it, so a test can prove that nothing did. */
function recordingCore(result: unknown = { ok: 1 }) {
  const calls: { channel: string; payload: unknown }[] = [];
  return {
    calls,
    core: {
      async invoke(channel: string, payload: unknown) {
        calls.push({ channel, payload });
        return result;
      },
    },
  };
}

describe('createIpcRouter', () => {
  it('has a handler for every request channel in the contract', () => {
    const router = createIpcRouter();
    expect(Object.keys(router).sort()).toEqual([...requestChannels].sort());
  });

  it('forwards a valid request from a trusted sender, with the parsed payload (defaults applied)', async () => {
    const { core, calls } = recordingCore({ outcome: 'exited' });
    const router = createIpcRouter();
    const reply = await router['kill:run'](core, { target: { pid: 1234, startId: '99' } });
    expect(reply).toEqual({ ok: true, result: { outcome: 'exited' } });
    expect(calls).toEqual([
      {
        channel: 'kill:run',
        payload: { target: { pid: 1234, startId: '99' }, force: false, tree: false, elevate: false },
      },
    ]);
  });

  it('refuses an untrusted sender before parsing and never calls the core', async () => {
    const { calls } = recordingCore();
    const reply = await createIpcRouter()['kill:run'](null, { target: { pid: 1234, startId: '99' } });
    expect(reply).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(calls).toHaveLength(0);
  });

  it.each([
    ['kill:run', { target: { pid: '1234', startId: '1' } }],
    ['kill:run', { target: { pid: 0, startId: '1' } }],
    ['kill:run', { target: { pid: 1.5, startId: '1' } }],
    ['kill:run', { target: { pid: 1234, startId: '1' }, extra: true }],
    ['kill:plan', { target: { pid: 1234, startId: '' } }],
    ['port:open', { port: 0 }],
    ['port:open', { port: 65536 }],
    ['port:open', { port: '3000; rm -rf /' }],
    ['monitor:set-interval', { intervalMs: 10 }],
    ['monitor:set-scope', { scope: 'everything' }],
    ['monitor:pause', { unexpected: 1 }],
    ['snapshot:get', 'garbage'],
  ] as const)('rejects an invalid %s payload %j and does nothing', async (channel, payload) => {
    const { core, calls } = recordingCore();
    const reply = await createIpcRouter()[channel](core, payload);
    expect(reply.ok).toBe(false);
    if (!reply.ok) {
      expect(reply.error.code).toBe('invalid-request');
      expect(reply.error.message).toContain(channel);
    }
    expect(calls).toHaveLength(0);
  });

  it("keeps the core's error code and message in the envelope", async () => {
    const client = {
      invoke: async () => {
        throw new ApiError('not-found', 'Nothing is listening on TCP port 3000 any more.');
      },
    };
    expect(await createIpcRouter()['port:open'](client, { port: 3000 })).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'Nothing is listening on TCP port 3000 any more.' },
    });
  });

  it('turns an unexpected exception into an internal error, not a crash', async () => {
    const client = {
      invoke: async () => {
        throw new TypeError('boom');
      },
    };
    expect(await createIpcRouter()['monitor:status'](client, {})).toEqual({
      ok: false,
      error: { code: 'internal', message: 'boom' },
    });
  });
});

describe('pushToAll', () => {
  it('sends on the contract channel name to live targets only', () => {
    const sent: [string, unknown][] = [];
    const live: PushTarget = { isDestroyed: () => false, send: (c, p) => sent.push([c, p]) };
    const dead: PushTarget = {
      isDestroyed: () => true,
      send: () => {
        throw new Error('sent to a destroyed webContents');
      },
    };
    const delta = { seq: 2, takenAt: 1, added: [], removed: ['k'], changed: [] };
    expect(pushToAll([live, dead, live], 'delta', delta)).toBe(2);
    // Deltas cross packed (shared/wire.ts); the renderer unpacks them to what was pushed.
    expect(sent.map(([c]) => c)).toEqual([ipcChannel('delta'), ipcChannel('delta')]);
    expect(sent[0]?.[1]).toMatchObject({ wire: 1 });
    expect(unpackDelta(sent[0]?.[1] as PackedDelta)).toEqual(delta);
  });
});
