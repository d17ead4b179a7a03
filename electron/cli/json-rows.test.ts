import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../shared/model';
import { createEngine } from '../core/engine/engine';
import { jsonRowsText, writeJsonRows } from './json-rows';
import { jsonRow } from './list-format';
import { OneShotHolders } from './one-shot-holders';
import { proc, row } from './testing/rows';
import { escapeUnsafeJson } from './text';

/** The text as it was written before the field-by-field writer: stringify each jsonRow, escape it. */
function reference(rows: readonly SocketRow[]): string {
  if (rows.length === 0) return '[]\n';
  return escapeUnsafeJson(`[\n${rows.map((r) => `  ${JSON.stringify(jsonRow(r))}`).join(',\n')}\n]\n`);
}

describe('list --json text', () => {
  const shared = proc('nginx', { label: 'nginx: master', command: 'nginx -g "daemon off;"' });
  const worker = proc('nginx', { ppid: 10 });
  const owners = [
    { pid: 10, process: shared },
    { pid: 11, process: worker },
  ];
  const rows = [
    row(80, {
      owners,
      pid: 10,
      process: shared,
      exposure: 'network',
      serviceSource: 'common',
      service: 'http',
    }),
    row(443, { owners, pid: 10, process: shared }),
    row(9, { pid: null, process: null, owners: [], inode: 0, state: 'TIME_WAIT' }),
    row(53, {
      process: proc('odd \u0000p "quoted" \u202e name \u009b x'),
      family: 6,
      localAddress: '::1',
      user: 'u\u007f',
    }),
    row(8080, {
      device: 'eth\u00e9\u2028',
      zone: 'z\u0085',
      remoteName: 'r\u00e4',
      v6only: true,
      container: { id: 'abc', name: 'web\u202d', image: 'nginx', engine: 'docker' },
      traffic: { bytesSent: 1, bytesReceived: 2, sendRate: null, receiveRate: 0.5 },
    }),
    // Fields a row may lack at run time: JSON.stringify leaves the key out, and so must the writer.
    row(1, { serviceSource: undefined, exposure: undefined, remoteName: undefined }),
    { ...row(2), protocol: undefined } as unknown as SocketRow,
    row(3, { owners: [{ pid: 5, process: undefined } as never], uid: Number.NaN }),
  ];

  it('is byte for byte the stringified jsonRow objects, escaped (constructed rows, odd characters)', () => {
    const text = jsonRowsText(rows);
    expect(text).toBe(reference(rows));
    expect(text.split('\n')).toHaveLength(rows.length + 3);
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('\u009b');
    expect(jsonRowsText([])).toBe('[]\n');
  });

  it('streams in chunks that each decode on their own (no character split), same bytes', () => {
    // ~3 MB: a long command line with wide characters in each of many processes.
    const many = Array.from({ length: 1500 }, (_, i) =>
      row(1000 + i, { process: proc(`srv${i}`, { command: `${'é€😀'.repeat(300)} ${i}` }) }),
    );
    const chunks: Uint8Array[] = [];
    writeJsonRows(many, (c) => chunks.push(c));
    expect(chunks.length).toBeGreaterThan(2);
    const decoder = new TextDecoder('utf-8', { fatal: true });
    const text = chunks.map((c) => decoder.decode(c)).join('');
    expect(text).toBe(reference(many));
  });

  it('parses to exactly rows.map(jsonRow) where every field is set', () => {
    const full = rows.slice(0, 5);
    expect(JSON.parse(jsonRowsText(full))).toEqual(full.map(jsonRow));
  });

  describe('real rows from the engine', () => {
    const servers: Server[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 3; i++) {
        const s = createServer().listen(0, '127.0.0.1');
        await new Promise((r) => s.once('listening', r));
        servers.push(s);
      }
    });
    afterAll(() => {
      for (const s of servers) s.close();
    });

    it('every socket of the machine, as the old writer wrote it', async () => {
      const holders = process.platform === 'linux' ? new OneShotHolders() : null;
      const { rows: real } = await createEngine({ holders }).collect('all');
      expect(real.length).toBeGreaterThanOrEqual(3);
      expect(real.some((r) => r.process)).toBe(true);
      expect(jsonRowsText(real)).toBe(reference(real));
    });
  });
});
