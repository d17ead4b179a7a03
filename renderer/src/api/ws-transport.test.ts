import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ConnectionState } from '../../../shared/contract';
import { createWsApi, type WebSocketLike } from './ws-transport';

/**
 * Reconnect policy with a clock under test control. The sockets are scripted because the question
 * is "when does it dial again", not the wire; the wire is tested against the real server in
 * electron/web/ws-transport.test.ts.
 */

type Handler = (ev: { data: unknown; code?: number }) => void;

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
  /** The server side of a good connection: open, then accept the auth frame. */
  accept(): void {
    this.fire('open');
    this.fire('message', { data: JSON.stringify({ type: 'auth', ok: true }) });
  }
  /** What was sent after the auth frame. */
  requests(): string[] {
    return this.sent.filter((m) => !m.startsWith('{"type":"auth"'));
  }
  fire(type: string, ev?: { data?: unknown; code?: number }): void {
    if (type === 'open') this.readyState = 1;
    if (type === 'close') this.readyState = 3;
    for (const h of this.handlers.get(type) ?? []) h({ data: ev?.data, code: ev?.code });
  }
}

afterEach(() => {
  vi.useRealTimers();
});

const TOKEN = 'tok-abcdefghijklmnop';

/** An api on scripted sockets, with the sockets it dialled. */
function scripted(token: () => string | null = () => TOKEN) {
  const sockets: ScriptedSocket[] = [];
  const api = createWsApi({
    url: 'ws://127.0.0.1:1/ws',
    token,
    connect: () => {
      const s = new ScriptedSocket();
      sockets.push(s);
      return s;
    },
  });
  const states: ConnectionState[] = [];
  api.onConnection((st) => states.push(st));
  return { api, sockets, states };
}

describe('createWsApi authenticates', () => {
  it('sends the token as its first frame and serves nothing before the server accepts it', async () => {
    const { api, sockets, states } = scripted();
    const s = sockets[0] as ScriptedSocket;
    const answer = api.request('monitor:status', {});
    s.fire('open');
    expect(s.sent).toEqual([JSON.stringify({ type: 'auth', token: TOKEN })]);
    expect(states.at(-1)).toBe('connecting');
    // A push or answer before the acceptance is not the server's api speaking: ignored.
    s.fire('message', { data: JSON.stringify({ type: 'res', id: 1, ok: true, result: 'early' }) });
    s.fire('message', { data: JSON.stringify({ type: 'auth', ok: true }) });
    expect(states.at(-1)).toBe('open');
    const req = JSON.parse(s.requests()[0] as string) as { id: number; channel: string };
    expect(req.channel).toBe('monitor:status');
    s.fire('message', { data: JSON.stringify({ type: 'res', id: req.id, ok: true, result: 'late' }) });
    expect(await answer).toBe('late');
    api.close();
  });

  it('a refused token (4401) means the session ended: expired, pending work failed, no redial', async () => {
    vi.useFakeTimers();
    const { api, sockets, states } = scripted();
    sockets[0]?.accept();
    sockets[0]?.fire('close');
    await vi.advanceTimersByTimeAsync(250);
    // The server came back with a new token.
    sockets[1]?.fire('open');
    const waiting = api.request('monitor:status', {});
    sockets[1]?.fire('close', { code: 4401 });
    expect(states.at(-1)).toBe('expired');
    await expect(waiting).rejects.toThrow(/session has ended/);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(2);
  });

  it('other closes before acceptance (server down, auth time limit) are retried', async () => {
    vi.useFakeTimers();
    const { api, sockets, states } = scripted();
    sockets[0]?.fire('close', { code: 1006 });
    await vi.advanceTimersByTimeAsync(250);
    sockets[1]?.fire('open');
    sockets[1]?.fire('close', { code: 4408 });
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(3);
    expect(states).not.toContain('expired');
    api.close();
  });

  it('without a token (page opened without the printed URL) it never dials and is expired', async () => {
    const { api, sockets } = scripted(() => null);
    expect(sockets).toHaveLength(0);
    expect(api.connectionState()).toBe('expired');
    await expect(api.request('monitor:status', {})).rejects.toThrow(/session has ended/);
  });
});

describe('createWsApi reconnects', () => {
  it('with backoff from 250 ms doubling to a 5 s cap, and starts over after a good connection', async () => {
    vi.useFakeTimers();
    const dialled: number[] = [];
    const sockets: ScriptedSocket[] = [];
    const api = createWsApi({
      url: 'ws://127.0.0.1:1/ws',
      token: () => TOKEN,
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

    sockets.at(-1)?.accept();
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
      token: () => TOKEN,
      connect: () => {
        const s = new ScriptedSocket();
        sockets.push(s);
        return s;
      },
    });
    sockets[0]?.accept();
    const pending = api.request('kill:run', { target: { pid: 42, startId: '1' } });
    expect(sockets[0]?.requests()).toHaveLength(1);
    sockets[0]?.fire('close');
    await expect(pending).rejects.toMatchObject({ code: 'internal' });
    await vi.advanceTimersByTimeAsync(300);
    sockets[1]?.accept();
    expect(sockets[1]?.requests()).toEqual([]);
    api.close();
  });

  it('routes answers by id and pushes by channel, ignoring junk', async () => {
    const sockets: ScriptedSocket[] = [];
    const api = createWsApi({
      url: 'ws://127.0.0.1:1/ws',
      token: () => TOKEN,
      connect: () => {
        const s = new ScriptedSocket();
        sockets.push(s);
        return s;
      },
    });
    const s = sockets[0] as ScriptedSocket;
    s.accept();
    const seqs: number[] = [];
    api.on('delta', (d) => seqs.push(d.seq));
    const answer = api.request('monitor:status', {});
    const { id } = JSON.parse(s.requests()[0] as string) as { id: number };
    s.fire('message', { data: 'not json' });
    s.fire('message', { data: JSON.stringify({ type: 'res', id: id + 100, ok: true, result: 'wrong' }) });
    s.fire('message', { data: JSON.stringify({ type: 'push', channel: 'delta', payload: { seq: 3 } }) });
    s.fire('message', { data: JSON.stringify({ type: 'res', id, ok: true, result: { state: 'paused' } }) });
    expect(await answer).toEqual({ state: 'paused' });
    expect(seqs).toEqual([3]);
    api.close();
  });
});
