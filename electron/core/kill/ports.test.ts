import { describe, expect, it } from 'vitest';
import { heldPortsFromProcNet } from './ports';

/** /proc/net text as the kernel writes it (header, then sl local rem st …). */
const table = (...lines: string[]) =>
  [
    '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode',
    ...lines,
  ].join('\n');

describe('heldPortsFromProcNet: the shared listening rule on /proc/net', () => {
  it('TCP: a listener holds its port; an accepted connection or a client does not', () => {
    const text = table(
      '   0: 0100007F:0BB8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111',
      '   1: 0100007F:0BB9 0100007F:C350 01 00000000:00000000 00:00000000 00000000     0        0 112',
      '   2: 0100007F:C351 0100007F:0BBA 01 00000000:00000000 00:00000000 00000000     0        0 113',
    );
    expect([...heldPortsFromProcNet(text, 'tcp')]).toEqual([3000]);
  });

  it('UDP: a bound socket without a peer holds its port; a connected one does not', () => {
    const text = table(
      '   0: 00000000:0035 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 211',
      '   1: 0100007F:D431 08080808:0035 01 00000000:00000000 00:00000000 00000000     0        0 212',
    );
    expect([...heldPortsFromProcNet(text, 'udp')]).toEqual([53]);
  });
});
