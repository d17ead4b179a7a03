// @vitest-environment jsdom
import { waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WatchedPortEvent } from '../../../../shared/port-watch';
import { freshDefaults, type Settings } from '../../../../shared/settings';
import type { PortStore } from '../../store';
import { createScriptedApi, type ScriptedApi, testRow } from '../../testing/scripted-api';
import { startTestStore } from '../../testing/store-harness';
import { useToastStore } from '../toast';
import { announcePortEvent, startPortNotifier } from './port-notifier';

/** Watched-port events in the browser mode, from real deltas through the real port store. */

let api: ScriptedApi;
let store: PortStore;
let stop: () => void;
let settings: Settings;
let events: [WatchedPortEvent, number][];
const web = testRow(3000, { name: 'vite' });
const other = testRow(8080, { name: 'nginx' });

beforeEach(async () => {
  api = createScriptedApi([other]);
  store = startTestStore(api);
  await waitFor(() => expect(store.getState().seq).toBe(1));
  settings = { ...freshDefaults(), notifications: true, watchedPorts: [3000] };
  events = [];
  stop = startPortNotifier(api, store, {
    settings: () => settings,
    announce: (e, seq) => events.push([e, seq]),
  });
});
afterEach(() => {
  stop();
  store.stop();
  useToastStore.setState({ toasts: [] });
});

describe('startPortNotifier', () => {
  it('announces a watched port opening (with its owner) and closing, once each', () => {
    api.poll([other, web]);
    api.poll([other, web]);
    api.poll([other]);
    expect(events.map(([e]) => [e.kind, e.port, e.process])).toEqual([
      ['opened', 3000, 'vite'],
      ['closed', 3000, null],
    ]);
    expect(events.map(([, seq]) => seq)).toEqual([2, 4]);
  });

  it('never for an unwatched port, nor when notifications are off', () => {
    api.poll([]);
    expect(events).toEqual([]);
    settings = { ...settings, notifications: false };
    api.poll([web]);
    expect(events).toEqual([]);
    // Turned on later: the baseline was kept, so only real changes count.
    settings = { ...settings, notifications: true };
    api.poll([web, other]);
    expect(events).toEqual([]);
    api.poll([other]);
    expect(events.map(([e]) => e.kind)).toEqual(['closed']);
  });

  it('invents nothing across a lost delta: it waits for the resync, then follows again', async () => {
    api.dropNext();
    api.poll([other, web]); // lost: the table resyncs; the opening is missed, not made up later
    api.poll([other, web]);
    await waitFor(() => expect(store.getState().seq).toBe(3));
    api.poll([other, web]);
    expect(events).toEqual([]);
    api.poll([other]);
    expect(events.map(([e]) => [e.kind, e.port])).toEqual([['closed', 3000]]);
  });
});

describe('announcePortEvent', () => {
  it('falls back to a toast when the page may not notify', () => {
    announcePortEvent({ kind: 'opened', protocol: 'tcp', port: 5432, process: 'postgres\u202e' }, 7);
    expect(useToastStore.getState().toasts.map((t) => t.message)).toEqual(['Port 5432 opened by postgres']);
  });
});
