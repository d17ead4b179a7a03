import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, parseRequest } from '../../../shared/contract';
import { createKiller } from '../kill';
import { Monitor } from '../monitor/monitor';
import { type ApiClient, createApi } from './api';

/**
 * container:stop / container:restart / service:stop through the api on the real Monitor: bad
 * input is refused by the contract, and nothing the table has not shown is acted on (the engine
 * would never be asked). The actions themselves run against real dockerd and supervisord in
 * containers.real.test.ts and supervisors.real.test.ts.
 */
let monitor: Monitor;
let api: ApiClient;
const asked: string[] = [];

beforeAll(async () => {
  monitor = new Monitor({ intervalMs: 250 });
  monitor.start();
  const core = createApi({
    monitor,
    killer: createKiller({ protectedPids: () => [process.pid] }),
    behind: {
      container: async (req) => {
        asked.push(`container:${req.action}`);
        return { outcome: 'stopped', container: null, message: '', portFree: true };
      },
      stopService: async () => {
        asked.push('service:stop');
        return { outcome: 'stopped', supervisor: null, message: '' };
      },
    },
  });
  api = core.connect(() => {});
  await monitor.ready();
});
afterAll(() => monitor.stop());

describe('container and service channels', () => {
  it('the contract refuses ids that are not hex, names with shell text, unknown kinds and extra keys', () => {
    const bad: [Parameters<typeof parseRequest>[0], unknown][] = [
      ['container:stop', { id: 'ABC' }],
      ['container:stop', { id: 'abcdef012345; rm -rf /' }],
      ['container:stop', { id: 'abcdef012345', port: 0 }],
      ['container:restart', { id: 'abcdef012345', extra: 1 }],
      ['service:stop', { port: 80, supervisor: { kind: 'systemd', name: 'a b.service' } }],
      ['service:stop', { port: 80, supervisor: { kind: 'shell', name: 'x' } }],
      ['service:stop', { port: 80, supervisor: { kind: 'systemd', name: '$(id)' } }],
    ];
    for (const [channel, payload] of bad) expect(() => parseRequest(channel, payload)).toThrow(ApiError);
    expect(parseRequest('container:stop', { id: 'abcdef012345' })).toEqual({
      id: 'abcdef012345',
      port: null,
      protocol: null,
    });
  });

  it('a container or service the table never showed is refused, and the engine is not asked', async () => {
    await expect(api.invoke('container:stop', { id: 'abcdef012345', port: 1 })).rejects.toMatchObject({
      code: 'refused',
    });
    await expect(api.invoke('container:restart', { id: 'abcdef012345' })).rejects.toMatchObject({
      code: 'refused',
    });
    await expect(
      api.invoke('service:stop', { port: 1, supervisor: { kind: 'systemd', name: 'nginx.service' } }),
    ).rejects.toMatchObject({ code: 'refused' });
    expect(asked).toEqual([]);
  });
});
