// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { setApi } from '../api';
import { useKillStore } from '../features/kill';
import type { PortStore } from '../store';
import { createScriptedApi, type ScriptedApi, testRow } from '../testing/scripted-api';
import { startTestStore, storeWrapper } from '../testing/store-harness';
import { MainView } from '../views/main';

/** The table rendered from a store fed by real deltas (scripted api), checked through roles and names. */

beforeAll(() => {
  // jsdom has no layout: give the virtualizer's observers something to call.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  // jsdom lays nothing out: a window-sized grid so the virtualizer renders rows.
  for (const [prop, value] of [
    ['clientHeight', 800],
    ['clientWidth', 1200],
  ] as const) {
    Object.defineProperty(HTMLElement.prototype, prop, { configurable: true, get: () => value });
  }
});

let api: ScriptedApi;
let store: PortStore;
const web = testRow(3000, { name: 'vite' });
const db = testRow(5432, { name: 'postgres' });
const hostile = testRow(6666, { name: '<img src=x onerror=alert(1)>' });
const hidden = testRow(631, { pid: null, process: null });

async function flush() {
  await act(async () => {
    await new Promise((r) => setTimeout(r, 0));
  });
}

beforeEach(async () => {
  api = createScriptedApi([web, db, hostile, hidden]);
  setApi(api);
  store = startTestStore(api, { lingerMs: 3000 });
  render(<MainView />, { wrapper: storeWrapper(store) });
  await flush();
});
afterEach(() => {
  cleanup();
  store.stop();
  setApi(null);
  useKillStore.getState().close();
});

const bodyRows = () => within(screen.getByRole('grid')).getAllByRole('row').slice(1);

describe('port table', () => {
  it('is a grid with a header and one row per socket; hostile names are text; hidden owners say so', () => {
    const grid = screen.getByRole('grid', { name: 'Listening ports' });
    expect(
      within(grid)
        .getAllByRole('columnheader')
        .map((h) => h.textContent?.replace(/[▲▼]/, '')),
    ).toEqual([
      'Proto',
      'Local address',
      'Port',
      'Reach',
      'Service',
      'Process',
      'Command',
      'PID',
      'User',
      'State',
      'Actions',
    ]);
    expect(bodyRows().map((r) => within(r).getAllByRole('gridcell')[2]?.textContent)).toEqual([
      '631',
      '3000',
      '5432',
      '6666',
    ]);
    expect(screen.getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(document.querySelector('img')).toBeNull();
    expect(screen.getByText('not visible (another user’s process)')).toBeTruthy();
    expect(screen.getByRole('button', { name: `Kill vite (PID ${web.pid})` })).toBeTruthy();
    // No kill button for a row whose owner we cannot see.
    expect(within(bodyRows()[0] as HTMLElement).queryByRole('button', { name: /^Kill/ })).toBeNull();
  });

  it('sorts on header click and reverses on a second click (aria-sort follows)', () => {
    const pid = screen.getByRole('columnheader', { name: /PID/ });
    fireEvent.click(within(pid).getByRole('button'));
    expect(pid.getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(pid).getByRole('button'));
    expect(pid.getAttribute('aria-sort')).toBe('descending');
    expect(bodyRows()[0]?.textContent).toContain('6666');
    expect(screen.getByRole('columnheader', { name: /Port/ }).getAttribute('aria-sort')).toBe('none');
  });

  it('filters with counts and hints, and shows new and leaving rows', async () => {
    const filter = screen.getByRole('searchbox', { name: 'Filter' });
    fireEvent.change(filter, { target: { value: 'proc:postgres' } });
    // The input shows the keystroke at once; the 10,000-row filter runs after that frame is painted.
    expect((filter as HTMLInputElement).value).toBe('proc:postgres');
    expect(bodyRows()).toHaveLength(4);
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    expect(screen.getByText('1 of 4')).toBeTruthy();
    fireEvent.change(filter, { target: { value: 'bogus:1' } });
    await waitFor(() => expect(screen.getByText(/unknown filter 'bogus:'/)).toBeTruthy());
    // A finished token's hint shows at once; the one still being typed waits for a pause.
    fireEvent.change(filter, { target: { value: 'bogus:1 proc:' } });
    await flush();
    expect(screen.getByText(/unknown filter 'bogus:'/)).toBeTruthy();
    expect(screen.queryByText(/'proc:' needs a value/)).toBeNull();
    await waitFor(() => expect(screen.getByText(/'proc:' needs a value/)).toBeTruthy());
    fireEvent.change(filter, { target: { value: '' } });
    await waitFor(() => expect(bodyRows()).toHaveLength(4));

    const fresh = testRow(8080, { name: 'caddy' });
    act(() => {
      api.poll([web, hostile, hidden, fresh]);
    });
    const byPort = (p: number) => bodyRows().find((r) => r.textContent?.includes(String(p))) as HTMLElement;
    // Just typed: the table holds still until typing pauses, then the poll lands.
    expect(byPort(8080)).toBeUndefined();
    await waitFor(() => expect(byPort(8080)).toBeDefined());
    expect(byPort(8080).getAttribute('data-state')).toBe('new');
    expect(byPort(5432).getAttribute('data-state')).toBe('gone');
    expect(within(byPort(5432)).queryByRole('button', { name: /^Kill/ })).toBeNull();
  });

  it('the filter box follows changes made elsewhere (palette, Clear filter) and Esc clears it', async () => {
    const filter = screen.getByRole('searchbox', { name: 'Filter' }) as HTMLInputElement;
    act(() => store.getState().setFilter('proc:postgres'));
    expect(filter.value).toBe('proc:postgres');
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    fireEvent.keyDown(filter, { key: 'Escape' });
    expect(filter.value).toBe('');
    expect(store.getState().filterText).toBe('');
    await waitFor(() => expect(bodyRows()).toHaveLength(4));
  });

  it('keyboard: arrows select, Enter opens details with the full command, Esc closes, Delete asks to kill', () => {
    const grid = screen.getByRole('grid');
    grid.focus();
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(store.getState().selectedKey).toBe(web.key);
    expect(grid.getAttribute('aria-activedescendant')).toBeTruthy();
    fireEvent.keyDown(grid, { key: 'Enter' });
    const details = screen.getByRole('complementary', { name: 'Details' });
    expect(within(details).getByText(web.process?.command as string)).toBeTruthy();
    expect(within(details).getByText(/Sockets of this process \(1\)/)).toBeTruthy();
    fireEvent.keyDown(grid, { key: 'Escape' });
    expect(screen.queryByRole('complementary', { name: 'Details' })).toBeNull();
    fireEvent.keyDown(grid, { key: 'Delete' });
    expect(useKillStore.getState().phase).not.toBe('closed');
  });

  it('a pre-fork socket is one row naming every holder; details list them all, parent first', async () => {
    const parent = testRow(8000, {
      name: 'gunicorn',
      localAddress: '127.0.0.1',
      device: 'lo',
      inode: 4711,
      user: 'www',
      uid: 33,
    });
    const pp = parent.process as NonNullable<typeof parent.process>;
    const worker = (pid: number) => ({
      pid,
      process: { ...pp, ppid: parent.pid, command: `gunicorn: worker ${pid}`, realUser: 'root' },
    });
    const prefork = {
      ...parent,
      owners: [{ pid: parent.pid as number, process: pp }, worker(9001), worker(9002)],
    };
    act(() => {
      api.poll([web, db, hostile, hidden, prefork]);
    });
    const line = () => bodyRows().find((r) => r.textContent?.includes('8000')) as HTMLElement;
    await waitFor(() => expect(line()).toBeDefined());
    expect(within(line()).getByText('gunicorn +2 workers')).toBeTruthy();
    expect(within(line()).getByText('127.0.0.1%lo')).toBeTruthy();
    // Any holder matches the filter, not only the first.
    act(() => store.getState().setFilter('pid:9002'));
    await waitFor(() => expect(bodyRows()).toHaveLength(1));
    act(() => store.getState().setFilter(''));
    act(() => store.getState().openDetails(prefork.key));
    const details = screen.getByRole('complementary', { name: 'Details' });
    const holders = within(details).getByRole('list', { name: 'Holders' });
    expect(
      within(holders)
        .getAllByRole('listitem')
        .map((li) => li.querySelector('.ps-mono')?.textContent),
    ).toEqual([String(parent.pid), '9001', '9002']);
    expect(within(holders).getByText('gunicorn: worker 9001')).toBeTruthy();
    expect(within(holders).getAllByText(/real user root/)).toHaveLength(2);
    expect(within(details).getByText('4711')).toBeTruthy();
    expect(within(details).getByText('www (uid 33)')).toBeTruthy();
    expect(within(details).getByText('lo')).toBeTruthy();
  });

  it('a hidden holder is named by the socket’s user in the table and the details', async () => {
    const theirs = testRow(5433, { pid: null, process: null, inode: 99, user: 'postgres', uid: 70 });
    act(() => {
      api.poll([web, db, hostile, hidden, theirs]);
    });
    await waitFor(() => expect(screen.getByText('not visible (a socket of user postgres)')).toBeTruthy());
    act(() => store.getState().openDetails(theirs.key));
    const details = screen.getByRole('complementary', { name: 'Details' });
    expect(within(details).getByText(/Run Portscope as that user/).textContent).toContain(
      'a socket of user postgres',
    );
  });

  it('a failing source is a banner that names the tool and what to do, above the rows it still has', () => {
    act(() => {
      store.setState({
        errors: [{ source: 'proc-net', tool: '/proc/net/tcp', kind: 'permission', message: 'EACCES' }],
      });
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('/proc/net/tcp was denied permission');
    expect(alert.textContent).toContain('administrator');
    expect(bodyRows()).toHaveLength(4);
  });
});
