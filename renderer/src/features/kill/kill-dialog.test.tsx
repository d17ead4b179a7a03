// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../../shared/model';
import { setApi } from '../../api';
import type { PortStore } from '../../store';
import { testRow } from '../../testing/scripted-api';
import { startTestStore, storeWrapper } from '../../testing/store-harness';
import { createKillApi, type KillApi } from '../../testing/support';
import { Toaster, useToastStore } from '../toast';
import { KillDialog } from './kill-dialog';
import { setKillConfirmPolicy, useKillStore } from './kill-store';

let api: KillApi;
let store: PortStore;
/**
 * Connections, not listeners: a non-listening row's Kill is the single-process kill these tests
 * cover (a listening row frees its port: free-port-dialog.test.tsx).
 */
const conn3000 = { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 51000 } as const;
const a = testRow(3000, { name: 'node', ...conn3000 });
const b = testRow(3001, { name: 'python3', ...conn3000, remotePort: 51001 });

async function until(check: () => boolean): Promise<void> {
  await waitFor(() => expect(check()).toBe(true));
}

beforeEach(async () => {
  api = createKillApi([a, b]);
  setApi(api);
  store = startTestStore(api);
  await until(() => store.getState().seq === 1);
});
afterEach(() => {
  cleanup();
  act(() => useKillStore.setState({ phase: 'closed', target: null, result: null, lastResult: null }));
  useToastStore.setState({ toasts: [] });
  store.stop();
  setApi(null);
});

function openOn(row: SocketRow, tree = false) {
  render(
    <>
      <button type="button">before</button>
      <KillDialog />
      <Toaster />
    </>,
  );
  act(() => {
    useKillStore.getState().open(row, { tree });
  });
}

const dialog = () => screen.getByRole('dialog');
const killButton = () => screen.getByRole('button', { name: /^Kill( tree)?$/ });

describe('KillDialog', () => {
  it('renders nothing while closed', () => {
    render(<KillDialog />, { wrapper: storeWrapper(store) });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('keeps the target it opened on when the table re-sorts, filters and replaces that row', async () => {
    const rowA = store.getState().rows.get(a.key) as SocketRow;
    openOn(rowA);
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    expect(dialog().textContent).toContain('node');

    // Everything around the dialog changes: sort, filter, and a delta in which port 3000 now
    // belongs to a different process (same port, new PID and start id) and A's row is gone.
    const usurper = testRow(3000, { name: 'impostor', pid: 9999, key: 'tcp|127.0.0.1|3000|9999' });
    act(() => {
      store.getState().sortBy('process');
      store.getState().sortBy('process');
      store.getState().setFilter('python3');
      api.poll([b, usurper]);
    });
    expect(store.getState().filterText).toBe('python3');
    expect(dialog().textContent).toContain('node');
    expect(dialog().textContent).not.toContain('impostor');

    fireEvent.keyDown(screen.getByRole('checkbox'), { key: 'Enter' });
    await waitFor(() => expect(api.runs()).toHaveLength(1));
    expect(api.runs()[0]).toEqual({
      target: { pid: a.pid, startId: a.process?.startId },
      tree: false,
      force: false,
      elevate: false,
    });
    // Success closes the dialog; the toast (a polite status region) says what happened.
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.getByRole('status').textContent).toContain(`PID ${a.pid} exited`);
  });

  it('shows what will die, re-plans with the children when the tree is chosen, and sends tree:true', async () => {
    api.script.plan = (p) => ({
      sockets: [a, { ...a, key: 'v6', family: 6, localAddress: '::' }],
      children: p.tree ? [{ pid: 4242, name: 'sleep', command: 'sleep 1000', startId: '77' }] : [],
    });
    openOn(a);
    await waitFor(() => expect(dialog().textContent).toContain('TCP [::]:3000'));
    const text = dialog().textContent ?? '';
    for (const s of ['node', String(a.pid), 'alice', 'node --port 3000', 'TCP 127.0.0.1:3000'])
      expect(text).toContain(s);
    expect(text).not.toContain('sleep 1000');

    fireEvent.click(screen.getByRole('checkbox', { name: /whole tree/ }));
    await waitFor(() => expect(dialog().textContent).toContain('sleep (PID 4242)'));
    expect(api.plans().map((p) => p.tree)).toEqual([false, true]);
    fireEvent.click(killButton());
    await waitFor(() => expect(api.runs()[0]?.tree).toBe(true));
  });

  it('disables confirmation and shows the reason when the plan is refused', async () => {
    api.script.plan = () => ({ refused: 'this is Portscope itself' });
    openOn(a);
    await waitFor(() => expect(screen.getByRole('alert').textContent).toContain('this is Portscope itself'));
    expect(killButton()).toHaveProperty('disabled', true);
    fireEvent.keyDown(dialog(), { key: 'Enter' });
    await act(() => Promise.resolve());
    expect(api.runs()).toHaveLength(0);
  });

  it('offers Force kill after the grace period and sends force:true for the same identity', async () => {
    api.script.run = (p) =>
      p.force
        ? { outcome: 'exited', message: 'node (PID 4000) exited after SIGKILL.' }
        : {
            outcome: 'still-running',
            message: 'node (PID 4000) is still running after 3 s.',
            canForce: true,
          };
    openOn(a);
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    fireEvent.click(killButton());
    const force = await screen.findByRole('button', { name: 'Force kill' });
    expect(dialog().textContent).toContain('still running');
    // Focus is on Close, so a stray Enter never escalates to SIGKILL.
    expect(document.activeElement?.textContent).toBe('Close');
    fireEvent.click(force);
    await waitFor(() => expect(api.runs()).toHaveLength(2));
    expect(api.runs()[1]).toMatchObject({ target: { pid: a.pid, startId: a.process?.startId }, force: true });
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('offers Retry as administrator on permission-denied, and says nothing was sent when it changed', async () => {
    api.script.run = (p) =>
      p.elevate
        ? { outcome: 'changed', message: 'changed' }
        : { outcome: 'permission-denied', message: 'node belongs to another user.', canElevate: true };
    openOn(a);
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    fireEvent.click(killButton());
    fireEvent.click(await screen.findByRole('button', { name: 'Retry as administrator' }));
    await waitFor(() => expect(api.runs()[1]?.elevate).toBe(true));
    await waitFor(() =>
      expect(dialog().textContent).toContain('The process changed since you saw it; nothing was sent'),
    );
  });

  it('traps focus, closes on Escape and returns focus to where it was', async () => {
    render(
      <>
        <button type="button">before</button>
        <KillDialog />
      </>,
    );
    const before = screen.getByRole('button', { name: 'before' });
    before.focus();
    act(() => {
      useKillStore.getState().open(a);
    });
    await waitFor(() => expect(document.activeElement).toBe(killButton()));
    expect(dialog().getAttribute('aria-modal')).toBe('true');
    const cancel = screen.getByRole('button', { name: 'Cancel' });
    cancel.focus();
    fireEvent.keyDown(document.activeElement as Element, { key: 'Tab' });
    expect(dialog().contains(document.activeElement)).toBe(true);
    fireEvent.keyDown(document.activeElement as Element, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(before);
  });

  it('renders hostile names and command lines as text', async () => {
    const evil = testRow(4000, {
      ...conn3000,
      name: '<img src=x onerror=alert(1)>',
      process: {
        ...(a.process as NonNullable<SocketRow['process']>),
        name: '<b>x</b>',
        command: '<script>1</script>',
      },
    });
    openOn(evil);
    await waitFor(() => expect(dialog().textContent).toContain('<script>1</script>'));
    expect(dialog().querySelector('script, b, img')).toBeNull();
  });

  it('without confirmation (settings allowed it) it kills once the plan is fine, never past a refusal', async () => {
    openOn(a);
    act(() => useKillStore.getState().close());
    act(() => {
      useKillStore.getState().open(a, { confirm: false });
    });
    await waitFor(() => expect(api.runs()).toHaveLength(1));
    expect(api.runs()[0]?.target.pid).toBe(a.pid);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    api.script.plan = () => ({ refused: 'this is Portscope itself.' });
    act(() => {
      useKillStore.getState().open(b, { confirm: false });
    });
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'Refused: this is Portscope itself. Nothing will be sent.',
      ),
    );
    expect(api.runs()).toHaveLength(1);
  });

  it('follows the confirm policy when open() is not told', async () => {
    setKillConfirmPolicy((t) => t.process.name !== 'python3');
    try {
      openOn(b);
      await waitFor(() => expect(api.runs().map((r) => r.target.pid)).toEqual([b.pid]));
    } finally {
      setKillConfirmPolicy(null);
    }
  });

  it('refuses to open on a row whose owner is not visible', () => {
    render(<Toaster />, { wrapper: storeWrapper(store) });
    let opened = true;
    act(() => {
      opened = useKillStore.getState().open({ ...a, pid: null, process: null });
    });
    expect(opened).toBe(false);
    expect(screen.getByRole('status').textContent).toContain('not visible');
    expect(api.plans()).toHaveLength(0);
  });
});

describe('useKillStore', () => {
  it('does not swap the target while a kill is in flight', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const original = api.request;
    api.request = (async (channel, payload) => {
      if (channel === 'kill:run') await gate;
      return original(channel, payload);
    }) as typeof api.request;
    act(() => {
      useKillStore.getState().open(a);
    });
    await waitFor(() => expect(useKillStore.getState().phase).toBe('ready'));
    const running = useKillStore.getState().confirm();
    expect(useKillStore.getState().phase).toBe('running');
    expect(useKillStore.getState().open(b)).toBe(false);
    useKillStore.getState().close();
    expect(useKillStore.getState().target?.identity.pid).toBe(a.pid);
    release();
    await running;
    expect(api.runs().map((r) => r.target.pid)).toEqual([a.pid]);
  });
});
