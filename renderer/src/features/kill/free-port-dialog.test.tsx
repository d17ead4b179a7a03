// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KillPlan, Owner, ProcessInfo } from '../../../../shared/model';
import { setApi } from '../../api';
import type { PortStore } from '../../store';
import { testRow } from '../../testing/scripted-api';
import { startTestStore, storeWrapper } from '../../testing/store-harness';
import { Toaster, useToastStore } from '../toast';
import { createFreePortApi, type FreePortApi } from './free-port.test-support';
import { KillDialog } from './kill-dialog';
import { useKillStore } from './kill-store';

/** A pre-fork server: nginx (PID 10) and four workers all hold 0.0.0.0:8080. */
const info = (pid: number, ppid: number): ProcessInfo => ({
  ...(testRow(8080, { name: 'nginx' }).process as ProcessInfo),
  startId: `st${pid}`,
  ppid,
  command: pid === 10 ? 'nginx: master process' : 'nginx: worker process',
});
const WORKERS = [11, 12, 13, 14];
const owners: Owner[] = [10, ...WORKERS].map((pid) => ({ pid, process: info(pid, pid === 10 ? 1 : 10) }));
const nginx = testRow(8080, { name: 'nginx', pid: 10, process: info(10, 1), owners, key: 'tcp:i8080' });
const client = testRow(40000, {
  name: 'curl',
  state: 'ESTABLISHED',
  remoteAddress: '127.0.0.1',
  remotePort: 8080,
  key: 'tcp:i40000',
});
const root: KillPlan = {
  target: { pid: 10, startId: 'st10' },
  process: info(10, 1),
  sockets: [nginx],
  children: WORKERS.map((pid) => ({
    pid,
    name: 'nginx',
    command: 'nginx: worker process',
    startId: `st${pid}`,
  })),
  refused: null,
};

let api: FreePortApi;
let store: PortStore;
beforeEach(async () => {
  api = createFreePortApi([nginx, client]);
  api.freeScript.plan = () => ({ sockets: [nginx], roots: [root] });
  setApi(api);
  store = startTestStore(api);
  await waitFor(() => expect(store.getState().seq).toBe(1));
  render(
    <>
      <KillDialog />
      <Toaster />
    </>,
    { wrapper: storeWrapper(store) },
  );
});
afterEach(() => {
  cleanup();
  act(() => useKillStore.setState({ phase: 'closed', target: null, result: null, lastResult: null }));
  useToastStore.setState({ toasts: [] });
  store.stop();
  setApi(null);
});

const dialog = () => screen.getByRole('dialog');
const killButton = () => screen.getByRole('button', { name: 'Kill' });
const open = (row = nginx) => act(() => void useKillStore.getState().open(row));
const allSeen = [10, ...WORKERS].map((pid) => ({ pid, startId: `st${pid}` }));

describe('Kill on a listening row frees its port', () => {
  it('names the master and every worker, then sends exactly those identities; success closes', async () => {
    open();
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    expect(api.freePlans()).toEqual([{ port: 8080, protocol: 'tcp' }]);
    expect(api.plans()).toEqual([]);
    expect(screen.getByTestId('kill-holders-summary').textContent).toBe('Ends nginx (PID 10) and 4 workers.');
    const list = within(screen.getByRole('list', { name: 'Processes that will end' }));
    expect(list.getAllByRole('listitem').map((li) => li.textContent?.match(/PID (\d+)/)?.[1])).toEqual([
      '10',
      ...WORKERS.map(String),
    ]);
    expect(screen.queryByRole('checkbox')).toBeNull(); // a port's holders always go with their trees
    // Each process is said once: the master's command and user in its holder line, no second
    // Process / PID / Command block for the row's first holder; the port's sockets stay listed.
    const text = dialog().textContent ?? '';
    expect(text.split('nginx: master process').length - 1).toBe(1);
    expect(list.getAllByRole('listitem')[0]?.textContent).toContain(info(10, 1).user);
    expect(within(dialog()).queryByText('Command')).toBeNull();
    expect(within(dialog()).getByRole('list', { name: 'Ports it holds' }).textContent).toContain('8080');

    fireEvent.click(killButton());
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.frees()).toEqual([
      { port: 8080, protocol: 'tcp', seen: allSeen, force: false, elevate: false },
    ]);
    expect(api.runs()).toEqual([]);
    expect(screen.getByRole('status').textContent).toContain('Port 8080/tcp is free.');
    expect(useKillStore.getState().lastResult?.outcome).toBe('port-released');
  });

  it('still held: says who, stays open, and Force kill resends the same identities with force', async () => {
    api.freeScript.free = (p) =>
      p.force
        ? { outcome: 'port-free', message: 'Port 8080/tcp is free: ended nginx (PID 10).' }
        : {
            outcome: 'still-held',
            message: 'Port 8080/tcp is still held by nginx (PID 10).',
            stillHeldBy: [owners[0] as Owner],
            canForce: true,
          };
    open();
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    fireEvent.click(killButton());
    const force = await screen.findByRole('button', { name: 'Force kill' });
    expect(within(dialog()).getByRole('alert').textContent).toBe(
      'Port 8080/tcp is still held by nginx (PID 10).',
    );
    expect(useKillStore.getState().lastResult?.outcome).toBe('still-running');
    fireEvent.click(force);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(api.frees().map((f) => [f.force, f.seen])).toEqual([
      [false, allSeen],
      [true, allSeen],
    ]);
  });

  it('permission denied offers Retry as administrator (elevate:true); a cancelled prompt is not success', async () => {
    api.freeScript.free = (p) =>
      p.elevate
        ? {
            outcome: 'elevation-cancelled',
            message: 'The administrator prompt was dismissed; nothing was sent.',
          }
        : { outcome: 'permission-denied', message: 'nginx belongs to another user.', canElevate: true };
    open();
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    fireEvent.click(killButton());
    fireEvent.click(await screen.findByRole('button', { name: 'Retry as administrator' }));
    await waitFor(() => expect(api.frees()[1]?.elevate).toBe(true));
    await waitFor(() => expect(dialog().textContent).toContain('prompt was dismissed'));
  });

  it('a port only another user’s hidden process holds: refused, the user named, nothing sent', async () => {
    const hidden = {
      ...nginx,
      owners: [],
      pid: null,
      process: null,
      holder: 'hidden' as const,
      uid: 0,
      user: 'root',
    };
    api.freeScript.plan = () => ({
      sockets: [hidden],
      roots: [],
      hidden: [hidden],
      refused: 'Port 8080/tcp is held by a process of user root that you cannot see.',
    });
    open();
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toContain('user root that you cannot see'),
    );
    expect(dialog().textContent).toContain('Also held by not visible (a socket of user root)');
    expect(killButton()).toHaveProperty('disabled', true);
    fireEvent.click(killButton());
    expect(api.frees()).toEqual([]);
  });

  it('a connection row keeps the single-process kill of its first owner', async () => {
    open(client);
    await waitFor(() => expect(killButton()).toHaveProperty('disabled', false));
    expect(api.plans().map((p) => p.target.pid)).toEqual([client.pid]);
    expect(api.freePlans()).toEqual([]);
  });
});
