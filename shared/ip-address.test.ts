import { describe, expect, it } from 'vitest';
import { addressBytes, isAddress } from './ip-address';

describe('addressBytes', () => {
  it('IPv4 dotted text', () => {
    expect([...(addressBytes('127.0.0.1', 4) ?? [])]).toEqual([127, 0, 0, 1]);
    for (const bad of ['256.0.0.1', '1.2.3', '01.2.3.4', '1.2.3.4 ', '::1', ''])
      expect(addressBytes(bad, 4)).toBeNull();
  });

  it('IPv6 with ::, full form and an embedded IPv4 tail', () => {
    expect([...(addressBytes('::1', 6) ?? [])]).toEqual([...new Array(15).fill(0), 1]);
    expect([...(addressBytes('::ffff:127.0.0.1', 6) ?? [])]).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1,
    ]);
    expect([...(addressBytes('fe80:0:0:0:0:0:0:1', 6) ?? [])].slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(addressBytes('::', 6)?.every((b) => b === 0)).toBe(true);
    for (const bad of ['1::2::3', 'fe80::1%lo', '[::1]', '12345::', '1:2:3:4:5:6:7:8:9', '127.0.0.1', ':1'])
      expect(isAddress(bad, 6)).toBe(false);
  });
});
