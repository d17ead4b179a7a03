// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KillResult } from '../../../../shared/model';
import { setApi } from '../../api';
import type { PortStore } from '../../store';
import { testRow } from '../../testing/scripted-api';
import { startTestStore } from '../../testing/store-harness';
import { createKillApi, type KillApi } from '../../testing/support';
import { Toaster, toast, useToastStore } from '../toast';
import { KillDialog } from './kill-dialog';
import { clockText, stepText } from './kill-steps';
import { presentKillResultsIn, useKillStore } from './kill-store';

/** The kill flow speaks with one voice: each step says what was sent, and each result is said once. */

let api: KillApi;
let store: PortStore;
const conn = { state: 'ESTABLISHED', remoteAddress: '127.0.0.1', remotePort: 51000 } as const;
const a = testRow(3000, { name: 'node', ...conn });

beforeEach(async () => {
  api = createKillApi([a]);
  setApi(api);
  store = startTestStore(api);
  await waitFor(() => expect(store.getState().seq).toBe(1));
});
afterEach(() => {
  cleanup();
  act(() =>
    useKillStore.setState({ phase: 'closed', target: null, result: null, lastResult: null, sent: null }),
  );
  useToastStore.setState({ toasts: [] });
  store.stop();
  setApi(null);
});

const step = () => screen.getByTestId('kill-step').textContent ?? '';
const toastsText = () => useToastStore.getState().toasts.map((t) => `${t.kind}:${t.message}`);

describe('the kill dialog’s steps', () => {
  it('says "nothing is sent" only before a signal went out, then which signal and when', async () => {
    api.script.run = (p) =>
      p.force
        ? { outcome: 'exited', message: 'node (PID 4000) exited after SIGKILL.' }
        : {
            outcome: 'still-running',
            message: 'node (PID 4000) is still running after 3 s.',
            canForce: true,
          };
    render(
      <>
        <KillDialog />
        <Toaster />
      </>,
    );
    act(() => {
      useKillStore.getState().open(a);
    });
    expect(step()).toContain('Nothing is sent until you confirm');
    const kill = screen.getByRole('button', { name: 'Kill' });
    await waitFor(() => expect(kill).toHaveProperty('disabled', false));
    fireEvent.click(kill);
    await screen.findByRole('button', { name: 'Force kill' });
    expect(step()).not.toContain('Nothing is sent');
    expect(step()).toMatch(/^Sent SIGTERM at \d\d:\d\d:\d\d\. Still running after 3 s\.$/);
    expect(screen.getByRole('heading').textContent).toBe('node is still running');
    // While the dialog shows the result, no toast says it a second time.
    expect(toastsText()).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Force kill' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    // The dialog closed on success: now (only now) one toast, the good news.
    expect(toastsText()).toEqual(['success:node (PID 4000) exited after SIGKILL.']);
  });

  it('a newer result replaces an older toast about the same target, never sits beside it', async () => {
    act(() => {
      toast('node (PID 4000) is still running after 3 s.', 'error', 'pid:4000:x');
      toast('Settings saved.', 'success');
      toast('node (PID 4000) exited after SIGKILL.', 'success', 'pid:4000:x');
    });
    expect(toastsText()).toEqual([
      'success:Settings saved.',
      'success:node (PID 4000) exited after SIGKILL.',
    ]);
  });

  it('a view that shows results in place gets them instead of a toast', async () => {
    const said: string[] = [];
    const off = presentKillResultsIn((text) => said.push(text));
    render(<KillDialog />);
    act(() => {
      useKillStore.getState().open(a);
    });
    const kill = screen.getByRole('button', { name: 'Kill' });
    await waitFor(() => expect(kill).toHaveProperty('disabled', false));
    fireEvent.click(kill);
    await waitFor(() => expect(api.runs()).toHaveLength(1));
    await waitFor(() => expect(useKillStore.getState().phase).toBe('closed'));
    expect(said).toEqual(['PID 4000 exited.']);
    expect(toastsText()).toEqual([]);
    off();
  });

  it('writes the time as hh:mm:ss and words each step', () => {
    const at = new Date(2026, 0, 1, 9, 5, 7).getTime();
    expect(clockText(at)).toBe('09:05:07');
    const sent = { signal: 'SIGTERM' as const, at };
    expect(stepText('running', 'Holding TCP 127.0.0.1:3000', sent, null, '3 s')).toBe(
      'Sent SIGTERM at 09:05:07; waiting up to 3 s for it to exit.',
    );
    expect(stepText('ready', 'Holding TCP 127.0.0.1:3000', null, null, '3 s')).toBe(
      'Holding TCP 127.0.0.1:3000. Nothing is sent until you confirm.',
    );
    const failed: KillResult = {
      outcome: 'permission-denied',
      pid: 1,
      message: '',
      signals: [],
      canForce: false,
      canElevate: false,
    };
    expect(stepText('result', 'x', { signal: 'SIGKILL', at }, failed, '3 s')).toBe(
      'Sent SIGKILL at 09:05:07. It did not end.',
    );
  });
});
