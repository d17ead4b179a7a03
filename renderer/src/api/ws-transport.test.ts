import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../../shared/contract';
import { createWsApi, type WebSocketLike } from './ws-transport';

/**
 * Reconnect policy with a clock under test control. The sockets are scripted because the question
 * is "when does it dial again", not the wire; the wire is tested against the real server in
 * electron/web/ws-transport.test.ts.
 */

type Handler = (ev: { data: unknown }) => void;

class ScriptedSocket implements WebSocketLike {
  readyState = 0;
  sent: string[] = [];
  private handlers = new Map<string, Handler[]>();
  addEventListener(type: string, listener: Handler): void {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), listener]);
  }
  send(data: string): void {
    this.sent.push(data);
  }
  close(): void {
    this.fire('close');
  }
  fire(type: string, ev?: { data: unknown }): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const h of this.handlers.get(type) ?? []) h(ev ?? { data: undefined });
  }
}

afterEach(() => {
  vi.useRealTimers();
});

describe('createWsApi reconnects', () => {
  it('with backoff from 250 ms doubling to a 5 s cap, and starts over after a good connection', async () => {
    vi.useFakeTimers();
    const dialled: number[] = [];
    const sockets: ScriptedSocket[] = [];
    const api = createWsApi({
      url: 'ws://127.0.0.1:1/ws',
      connect: () => {
        dialled.push(Date.now());
        const s = new ScriptedSocket();
        sockets.push(s);
        return s;
      },
    });
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    const closes: number[] = [];
    const failLatest = () => {
      closes.push(Date.now());
      sockets.at(-1)?.fire('close');
    };

    for (let i = 0; i < 7; i++) {
      failLatest();
      await vi.advanceTimersByTimeAsync(10_000);
    }
    // How long after each failure the next attempt came.
    const gaps = dialled.slice(1).map((t, i) => t - (closes[i] as number));
    expect(gaps).toEqual([250, 500, 1000, 2000, 4000, 5000, 5000]);

    sockets.at(-1)?.fire('open');
    expect(states.at(-1)).toBe('open');
    const before = dialled.length;
    failLatest();
    expect(states.at(-1)).toBe('closed');
    await vi.advanceTimersByTimeAsync(250);
    expect(dialled.length).toBe(before + 1);
    api.close();
  });

  it('fails a request in flight when the socket drops instead of re-sending it', async () => {
    vi.useFakeTimers();
    const sockets: ScriptedSocket[] = [];
    const api = createWsApi({
      url: 'ws://127.0.0.1:1/ws',
      connect: () => {
        const s = new ScriptedSocket();
        sockets.push(s);
        return s;
      },
    });
    sockets[0]?.fire('open');
    const pending = api.request('kill:run', { target: { pid: 42, startId: '1' } });
    expect(sockets[0]?.sent).toHaveLength(1);
    sockets[0]?.fire('close');
    await expect(pending).rejects.toMatchObject({ code: 'internal' });
    await vi.advanceTimersByTimeAsync(300);
    sockets[1]?.fire('open');
    expect(sockets[1]?.sent).toEqual([]);
    api.close();
  });

  it('routes answers by id and pushes by channel, ignoring junk', async () => {
    const sockets: ScriptedSocket[] = [];
    const api = createWsApi({
      url: 'ws://127.0.0.1:1/ws',
      connect: () => {
        const s = new ScriptedSocket();
        sockets.push(s);
        return s;
      },
    });
    const s = sockets[0] as ScriptedSocket;
    s.fire('open');
    const seqs: number[] = [];
    api.on('delta', (d) => seqs.push(d.seq));
    const answer = api.request('monitor:status', {});
    const { id } = JSON.parse(s.sent[0] as string) as { id: number };
    s.fire('message', { data: 'not json' });
    s.fire('message', { data: JSON.stringify({ type: 'res', id: id + 100, ok: true, result: 'wrong' }) });
    s.fire('message', { data: JSON.stringify({ type: 'push', channel: 'delta', payload: { seq: 3 } }) });
    s.fire('message', { data: JSON.stringify({ type: 'res', id, ok: true, result: { state: 'paused' } }) });
    expect(await answer).toEqual({ state: 'paused' });
    expect(seqs).toEqual([3]);
    api.close();
  });
});
