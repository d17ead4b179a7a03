// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../api';
import { Dialogs } from '../../app';
import { useKillStore } from '../../features/kill';
import type { PortStore } from '../../store';
import { testRow } from '../../testing/scripted-api';
import { startTestStore, storeWrapper } from '../../testing/store-harness';
import { createKillApi, type KillApi } from '../../testing/support';
import { QuickView } from './quick-view';

let api: KillApi;
let store: PortStore;
const a = testRow(3000, { name: 'node' });
const b = testRow(30001, { name: 'python3' });
const hidden = testRow(8080, { pid: null, process: null });

beforeEach(async () => {
  api = createKillApi([a, b, hidden]);
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
    expect(api.runs()).toEqual([
      { target: { pid: a.pid, startId: a.process?.startId }, tree: false, force: false, elevate: false },
    ]);
    expect(screen.getByText(`PID ${a.pid} exited.`, { selector: '.ps-quick-note' })).toBeTruthy();
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
    expect(screen.getByText(/another user's process/)).toBeTruthy();
  });

  it('shows a lost connection instead of a silent stale list', () => {
    act(() => api.setConnection('closed'));
    expect(screen.getByRole('alert').textContent).toContain('Disconnected');
  });
});
