import { describe, expect, it } from 'vitest';
import { localLabels } from '../core/resolve/remote-names';
import { memoLabels } from './process-io';

describe('the one-shot remote-address labels', () => {
  it('answer as the engine default does, asking it once per address', () => {
    const addresses = [
      null,
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '192.168.0.9',
      'fe80::1',
      '8.8.8.8',
      '0.0.0.0',
      '::',
    ];
    let asked = 0;
    const memo = memoLabels({
      name: (a) => {
        asked++;
        return localLabels.name(a);
      },
    });
    for (let round = 0; round < 3; round++)
      for (const a of addresses) expect(memo.name(a)).toBe(localLabels.name(a));
    expect(asked).toBe(addresses.length);
  });
});
