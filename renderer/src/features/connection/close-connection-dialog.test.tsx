// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CloseConnectionResult } from '../../../../shared/model';
import { setApi } from '../../api';
import { trafficSum } from '../../components/traffic-section';
import { createScriptedApi, desktopHost, testRow } from '../../testing/scripted-api';
import { useSettingsStore } from '../settings/settings-store';
import { Toaster, useToastStore } from '../toast';
import { CloseConnectionDialog } from './close-connection-dialog';
import { useCloseConnectionStore } from './close-connection-store';

const row = {
  ...testRow(3000, { name: 'node', state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 51000 }),
  key: 'tcp:c12345',
};
let calls: unknown[] = [];
let answers: CloseConnectionResult[] = [];

beforeEach(() => {
  calls = [];
  answers = [];
  const api = createScriptedApi([row]);
  const scripted = api.request.bind(api);
  api.request = (async (channel: string, payload: unknown) => {
    if (channel !== 'connection:close') return scripted(channel as never, payload as never);
    calls.push(payload);
    return answers.shift();
  }) as typeof api.request;
  setApi(api);
  useSettingsStore.setState({ capabilities: desktopHost() });
  render(
    <>
      <CloseConnectionDialog />
      <Toaster />
    </>,
  );
});
afterEach(() => {
  cleanup();
  act(() => useCloseConnectionStore.getState().close());
  useToastStore.setState({ toasts: [] });
  setApi(null);
});

describe('CloseConnectionDialog', () => {
  it('names the 4-tuple and the process, sends nothing until confirmed, then the seen cookie', async () => {
    act(() => useCloseConnectionStore.getState().open(row));
    expect(screen.getByTestId('close-local').textContent).toBe('127.0.0.1:3000');
    expect(screen.getByTestId('close-remote').textContent).toBe('127.0.0.1:51000');
    expect(screen.getByTestId('close-process').textContent).toContain('node');
    expect(screen.getByTestId('close-process').textContent).toContain(`PID ${row.pid}`);
    expect(calls).toEqual([]);
    answers.push({
      outcome: 'closed',
      message: 'Closed 127.0.0.1:3000 → 127.0.0.1:51000.',
      canElevate: false,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Close connection' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(calls).toEqual([
      {
        connection: {
          protocol: 'tcp',
          family: 4,
          localAddress: '127.0.0.1',
          localPort: 3000,
          remoteAddress: '127.0.0.1',
          remotePort: 51000,
          cookie: '12345',
        },
        elevate: false,
      },
    ]);
    expect(useToastStore.getState().toasts.map((t) => t.message)).toContain(
      'Closed 127.0.0.1:3000 → 127.0.0.1:51000.',
    );
  });

  it('permission denied offers Retry as administrator, which asks with elevate', async () => {
    act(() => useCloseConnectionStore.getState().open(row));
    answers.push({ outcome: 'permission-denied', message: 'needs administrator rights', canElevate: true });
    fireEvent.click(screen.getByRole('button', { name: 'Close connection' }));
    const retry = await screen.findByRole('button', { name: 'Retry as administrator' });
    expect(screen.getByRole('alert').textContent).toContain('needs administrator rights');
    answers.push({ outcome: 'closed', message: 'Closed.', canElevate: false });
    fireEvent.click(retry);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((calls[1] as { elevate: boolean }).elevate).toBe(true);
  });

  it('a listener, UDP or TIME_WAIT row opens nothing', () => {
    act(() =>
      useCloseConnectionStore
        .getState()
        .open({ ...row, state: 'LISTEN', remoteAddress: null, remotePort: null }),
    );
    act(() => useCloseConnectionStore.getState().open({ ...row, state: 'TIME_WAIT' }));
    act(() => useCloseConnectionStore.getState().open({ ...row, key: 'tcp:i77' }));
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});

describe('trafficSum (details panel, per process)', () => {
  it('adds the counters and rates of the connections that have them', () => {
    const t = (s: number, r: number, rate: number | null) => ({
      bytesSent: s,
      bytesReceived: r,
      sendRate: rate,
      receiveRate: rate,
    });
    const sum = trafficSum([
      { ...row, traffic: t(100, 10, 5) },
      { ...row, traffic: t(1, 2, null) },
      { ...row, traffic: null },
    ]);
    expect(sum).toEqual({ sent: 101, received: 12, rate: 10, counted: 2 });
  });
});
