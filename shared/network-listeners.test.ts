import { describe, expect, it } from 'vitest';
import { networkListenerMessage, newNetworkListeners } from './network-listeners';
import { testRow } from './testing/rows';

describe('newNetworkListeners', () => {
  const row = (port: number, localAddress: string, key = `${localAddress}|${port}`) =>
    testRow(port, { key, localAddress });

  it('one event per port, for network listeners only, not for a port already reachable', () => {
    const before = [row(22, '0.0.0.0')];
    const added = [
      row(22, '::'),
      row(3000, '0.0.0.0'),
      row(3000, '::'),
      row(5173, '127.0.0.1'),
      row(53, '::1'),
    ];
    const events = newNetworkListeners(before, { added, changed: [] });
    expect(events.map((e) => [e.port, e.address])).toEqual([[3000, '0.0.0.0']]);
  });

  it('a loopback listener that rebinds to the network is news; a connection never is', () => {
    const before = [row(8000, '127.0.0.1', 'k')];
    const conn = testRow(9000, {
      localAddress: '10.0.0.2',
      state: 'ESTABLISHED',
      remoteAddress: '10.0.0.3',
      remotePort: 1,
    });
    const events = newNetworkListeners(before, { added: [conn], changed: [row(8000, '0.0.0.0', 'k')] });
    expect(events.map((e) => e.port)).toEqual([8000]);
  });

  it('writes hostile names as clean text', () => {
    const msg = networkListenerMessage({
      protocol: 'tcp',
      port: 1,
      address: '0.0.0.0',
      process: null,
      label: 'x\u001b[2J\u202ey',
    });
    expect(msg).toBe('Port 1 is reachable from the network (0.0.0.0): x[2Jy');
  });
});
