import { describe, expect, it } from 'vitest';
import { takeDebugFlag } from './args';
import { main } from './main';
import { captureIo } from './testing/capture-io';
import { row } from './testing/rows';

describe('--debug', () => {
  it('is taken out of any command before `--`, and only there', () => {
    expect(takeDebugFlag(['list', '--debug', '--all'])).toEqual({ argv: ['list', '--all'], debug: true });
    expect(takeDebugFlag(['who', '3000'])).toEqual({ argv: ['who', '3000'], debug: false });
    expect(takeDebugFlag(['list', '--', '--debug'])).toEqual({
      argv: ['list', '--', '--debug'],
      debug: false,
    });
  });

  it('prints which source ran and how long collect took on stderr; stdout is unchanged', async () => {
    const rows = [row(3000)];
    const collect = async () => ({ rows, errors: [], source: 'netlink' });
    const plain = captureIo(collect);
    await main(['list', '--json'], plain.io);
    const debug = captureIo(collect);
    const code = await main(['list', '--json', '--debug'], debug.io);
    expect(code).toBe(0);
    expect(debug.stdout()).toBe(plain.stdout());
    expect(plain.stderr()).toBe('');
    expect(debug.stderr()).toMatch(
      /^portscope: debug: source netlink, collect \d+\.\d ms \(listening, 1 rows\)\n$/,
    );
  });
});
