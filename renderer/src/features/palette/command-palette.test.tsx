// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../../api';
import type { PortStore } from '../../store';
import { testRow } from '../../testing/scripted-api';
import { startTestStore, storeWrapper } from '../../testing/store-harness';
import { createKillApi, type KillApi } from '../../testing/support';
import { KillDialog, useKillStore } from '../kill';
import { CommandPalette } from './command-palette';

let api: KillApi;
let store: PortStore;
const a = testRow(3000, { name: 'node' });
const b = testRow(30001, { name: 'python3' });

beforeEach(async () => {
  api = createKillApi([a, b]);
  setApi(api);
  store = startTestStore(api);
  await waitFor(() => expect(store.getState().seq).toBe(1));
  render(
    <>
      <CommandPalette />
      <KillDialog />
    </>,
    { wrapper: storeWrapper(store) },
  );
});
afterEach(() => {
  cleanup();
  act(() => useKillStore.setState({ phase: 'closed', target: null }));
  store.stop();
  setApi(null);
});

function openPalette(): HTMLElement {
  fireEvent.keyDown(window, { key: 'k', ctrlKey: true });
  const input = screen.getByRole('combobox', { name: 'Command' });
  expect(document.activeElement).toBe(input);
  return input;
}

function runLine(line: string) {
  const input = openPalette();
  fireEvent.change(input, { target: { value: line } });
  fireEvent.keyDown(input, { key: 'Enter' });
}

describe('CommandPalette', () => {
  it('opens on Ctrl+K and Cmd+K, closes on Escape', () => {
    expect(screen.queryByRole('dialog')).toBeNull();
    openPalette();
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.keyDown(window, { key: 'K', metaKey: true });
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
  });

  it('"free 3000" opens the kill confirmation for the exact owner of 3000, not 30001', async () => {
    runLine('free 3000');
    expect(screen.queryByRole('dialog', { name: 'Command palette' })).toBeNull();
    expect(useKillStore.getState().target?.identity).toEqual({ pid: a.pid, startId: a.process?.startId });
    await waitFor(() => expect(screen.getByRole('dialog').textContent).toContain('Kill node?'));
  });

  it('"kill pid" acts only on a row the table shows', () => {
    store.getState().setFilter('python3');
    runLine(`kill pid ${a.pid}`);
    expect(useKillStore.getState().target).toBeNull();
    expect(screen.getByRole('option').textContent).toContain('hidden by the table');
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    runLine(`kill pid ${b.pid}`);
    expect(useKillStore.getState().target?.identity.pid).toBe(b.pid);
  });

  it('sets the table filter, pauses, and switches the view through the store', async () => {
    runLine('filter proc:node');
    expect(store.getState().filterText).toBe('proc:node');
    runLine('pause');
    await waitFor(() => expect(store.getState().status?.state).toBe('paused'));
    runLine('all');
    expect(store.getState().view).toBe('all');
    await waitFor(() => expect(api.requests.map(([c]) => c)).toContain('monitor:set-scope'));
  });

  it('"open <port>" asks the engine, and opens the page itself when the engine cannot', async () => {
    const opened: unknown[][] = [];
    const realOpen = window.open;
    // jsdom has no browser windows to open: record the call the page makes instead.
    window.open = ((...args: unknown[]) => {
      opened.push(args);
      return null;
    }) as typeof window.open;
    try {
      runLine('open 5173');
      await waitFor(() => expect(opened).toEqual([['http://localhost:5173/', '_blank', 'noopener']]));
      expect(api.requests).toContainEqual(['port:open', { port: 5173 }]);
    } finally {
      window.open = realOpen;
    }
  });

  it('suggests while typing and moves with the arrow keys', () => {
    const input = openPalette();
    fireEvent.change(input, { target: { value: 're' } });
    const options = screen.getAllByRole('option');
    expect(options[0]?.textContent).toContain('resume');
    expect(options[0]?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(input, { key: 'ArrowDown' });
    expect(screen.getAllByRole('option')[1]?.getAttribute('aria-selected')).toBe('true');
    // Picking "free <port>" completes the line instead of acting.
    fireEvent.keyDown(input, { key: 'Enter' });
    expect((input as HTMLInputElement).value).toBe('free ');
    expect(screen.getByRole('dialog', { name: 'Command palette' })).toBeTruthy();
  });
});
