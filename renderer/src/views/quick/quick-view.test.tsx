// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../api';
import { Dialogs } from '../../app';
import { useKillStore } from '../../features/kill';
import { createFreePortApi, type FreePortApi } from '../../features/kill/free-port.test-support';
import { useSettingsStore } from '../../features/settings';
import type { PortStore } from '../../store';
import { testRow } from '../../testing/scripted-api';
import { startTestStore, storeWrapper } from '../../testing/store-harness';
import { QuickView } from './quick-view';

let api: FreePortApi;
let store: PortStore;
const a = testRow(3000, { name: 'node' });
const b = testRow(30001, { name: 'python3' });
const hidden = testRow(8080, { pid: null, process: null });

beforeEach(async () => {
  api = createFreePortApi([a, b, hidden]);
  // Enter on a listening line frees its port: the plan names the one holder of 3000.
  api.freeScript.plan = (p) => ({
    sockets: [a],
    roots: [
      {
        target: { pid: a.pid as number, startId: a.process?.startId as string },
        process: a.process,
        sockets: [a],
        children: [],
        refused: null,
      },
    ],
    port: p.port,
  });
  setApi(api);
  store = startTestStore(api);
  await waitFor(() => expect(store.getState().seq).toBe(1));
  render(
    <>
      <QuickView />
      <Dialogs view="quick" />
    </>,
    { wrapper: storeWrapper(store) },
  );
});
afterEach(() => {
  cleanup();
  act(() => useKillStore.setState({ phase: 'closed', target: null, lastResult: null }));
  store.stop();
  setApi(null);
});

const search = () => screen.getByRole('combobox', { name: 'Find a port' });
const type = (text: string) => fireEvent.change(search(), { target: { value: text } });
const enter = () => fireEvent.keyDown(document.activeElement as Element, { key: 'Enter' });

describe('QuickView', () => {
  it('starts with the search the tray asked for (?q=)', () => {
    cleanup();
    window.history.replaceState(null, '', '/?view=quick&q=30001');
    try {
      render(
        <>
          <QuickView />
          <Dialogs view="quick" />
        </>,
        { wrapper: storeWrapper(store) },
      );
      expect(search()).toHaveProperty('value', '30001');
      expect(screen.getAllByRole('option').map((o) => o.textContent)).toHaveLength(1);
    } finally {
      window.history.replaceState(null, '', '/');
    }
  });

  it('lists listening ports with the search box focused', () => {
    expect(document.activeElement).toBe(search());
    const text = screen.getByRole('listbox').textContent ?? '';
    expect(text).toContain('3000');
    expect(text).toContain(`node (${a.pid})`);
    expect(text).toContain('not visible');
  });

  it('type 3000, Enter, Enter: the exact owner is killed and the result shows in place', async () => {
    type('3000');
    expect(screen.getAllByRole('option').map((o) => o.textContent)).toHaveLength(2);
    enter();
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Kill node?');
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Kill'));
    enter();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.frees()).toEqual([
      {
        port: 3000,
        protocol: 'tcp',
        seen: [{ pid: a.pid, startId: a.process?.startId }],
        force: false,
        elevate: false,
      },
    ]);
    expect(screen.getByText('Port 3000/tcp is free.', { selector: '.ps-quick-note' })).toBeTruthy();
    expect(document.activeElement).toBe(search());
  });

  it('the line picked with the arrows stays picked when a delta inserts a row above it', async () => {
    fireEvent.keyDown(search(), { key: 'ArrowUp' }); // wraps to the last line: python3 on 30001
    expect(screen.getByRole('option', { selected: true }).textContent).toContain('python3');
    const early = testRow(22, { name: 'sshd' });
    act(() => {
      api.poll([early, a, b, hidden]);
    });
    await waitFor(() => expect(screen.getByRole('listbox').textContent).toContain('sshd'));
    enter();
    const dialog = await screen.findByRole('dialog');
    expect(dialog.textContent).toContain('Kill python3?');
  });

  it('a number that is only part of a port never acts', () => {
    type('300');
    expect(screen.getAllByRole('option')).toHaveLength(2);
    enter();
    expect(useKillStore.getState().target).toBeNull();
    expect(screen.getByText('Nothing is listening on port 300.')).toBeTruthy();
    // Choosing a line with the arrows is explicit, so Enter then acts on it.
    fireEvent.keyDown(search(), { key: 'ArrowDown' });
    enter();
    expect(useKillStore.getState().target?.identity.pid).toBe(a.pid);
  });

  it('says why a port of another user cannot be freed', () => {
    type('8080');
    enter();
    expect(useKillStore.getState().target).toBeNull();
    expect(
      screen.getByText('Port 8080: not visible (another user’s process). It cannot be freed from here.'),
    ).toBeTruthy();
  });

  it('never tells root that a hidden holder is another user’s: it names the socket’s user', () => {
    act(() => useSettingsStore.setState({ currentUser: 'root' }));
    try {
      api.poll([a, b, { ...hidden, user: 'root', uid: 0, inode: 42 }]);
      type('8080');
      expect(screen.getByRole('option').textContent).toContain(
        'not visible (a socket of user root in another PID namespace)',
      );
      enter();
      expect(
        screen.getByText(/^Port 8080: not visible \(a socket of user root in another PID namespace\)/),
      ).toBeTruthy();
      expect(document.body.textContent).not.toContain('another user');
    } finally {
      act(() => useSettingsStore.setState({ currentUser: null }));
    }
  });

  it('lists a pre-fork server once, with its workers summarised', () => {
    const parent = testRow(8000, { name: 'gunicorn' });
    const worker = (pid: number) => ({
      pid,
      process: { ...(parent.process as NonNullable<typeof parent.process>), ppid: parent.pid },
    });
    api.poll([
      a,
      b,
      hidden,
      {
        ...parent,
        owners: [{ pid: parent.pid as number, process: parent.process }, worker(9001), worker(9002)],
      },
    ]);
    type('8000');
    expect(screen.getByRole('option').textContent).toContain(`gunicorn +2 workers (${parent.pid})`);
  });

  it('shows a lost connection instead of a silent stale list', () => {
    act(() => api.setConnection('closed'));
    expect(screen.getByRole('alert').textContent).toContain('Disconnected');
  });
});
