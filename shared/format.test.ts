import { describe, expect, it } from 'vitest';
import {
  csvField,
  endpoint,
  formatAgo,
  formatBytes,
  formatStarted,
  holdersLabel,
  rowToText,
  stateLabel,
  toCsv,
  toJson,
} from './format';
import type { SocketRow } from './model';
import { completeRow } from './testing/rows';

const base: SocketRow = completeRow({
  key: 'k',
  protocol: 'tcp',
  family: 6,
  localAddress: '::1',
  localPort: 3000,
  remoteAddress: null,
  remotePort: null,
  state: 'LISTEN',
  pid: 42,
  service: 'hbci',
  process: {
    name: '=cmd|"/c calc"!A1',
    command: 'node, "server.js"\nsecond line',
    path: '/usr/bin/node',
    user: 'alice',
    startTime: Date.UTC(2026, 0, 2, 3, 4, 5),
    startId: '9',
    ppid: 1,
    cpu: 1.25,
    memory: 1536,
  },
});

describe('format', () => {
  it('endpoints bracket IPv6 and mark unknown ports', () => {
    expect(endpoint('::1', 3000)).toBe('[::1]:3000');
    expect(endpoint('127.0.0.1', null)).toBe('127.0.0.1:*');
  });

  it('labels, sizes and times', () => {
    expect(stateLabel('TIME_WAIT')).toBe('TIME WAIT');
    expect(stateLabel('UNCONN')).toBe('BOUND');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(null)).toBe('—');
    const now = Date.now();
    expect(formatAgo(now - 500, now)).toBe('just now');
    expect(formatAgo(now - 12_000, now)).toBe('12 s ago');
    expect(formatAgo(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(formatStarted(now, now)).toMatch(/^\d\d:\d\d$/);
    expect(formatStarted(Date.UTC(2001, 5, 1), now)).toBe('2001-06-01');
    expect(formatStarted(new Date(2026, 0, 5, 14, 3).getTime(), new Date(2026, 6, 1).getTime())).toBe(
      'Jan 5 14:03',
    );
    expect(
      formatStarted(new Date(2026, 11, 31, 9, 0).getTime(), new Date(2026, 11, 31, 23, 0).getTime()),
    ).toBe('09:00');
    expect(formatStarted(0, now)).toBe('—');
  });

  it('names every holder, or says in the shared words why there is none', () => {
    const worker = (pid: number) => ({
      pid,
      process: { ...(base.process as NonNullable<SocketRow['process']>) },
    });
    expect(holdersLabel({ ...base, owners: [worker(42), worker(43), worker(44)] })).toMatch(/ \+2 workers$/);
    const none = { ...base, owners: [], pid: null, process: null };
    expect(holdersLabel({ ...none, holder: 'hidden', inode: 9 })).toBe(
      'not visible (another user’s process)',
    );
    expect(holdersLabel({ ...none, holder: 'hidden', inode: 9, user: 'postgres' })).toBe(
      'not visible (a socket of user postgres)',
    );
    expect(holdersLabel({ ...none, holder: 'kernel', inode: 0, state: 'TIME_WAIT' })).toMatch(
      /^no process \(closed/,
    );
  });

  it('exports the local address as ss writes it and every holder', () => {
    const dual = {
      ...base,
      localAddress: '::',
      v6only: false,
      owners: [
        { pid: 42, process: base.process },
        { pid: 43, process: null },
      ],
    };
    const rec = JSON.parse(toJson([dual]))[0];
    expect(rec.localAddress).toBe('*');
    expect(rec.holders).toBe(`42/${base.process?.name} 43/?`);
    expect(
      JSON.parse(toJson([{ ...base, localAddress: '127.0.0.1', family: 4, device: 'lo' }]))[0].localAddress,
    ).toBe('127.0.0.1%lo');
  });

  it('CSV quotes per RFC 4180 and defuses spreadsheet formulas in hostile names', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField(-5)).toBe('-5');
    expect(csvField(null)).toBe('');
    const csv = toCsv([base]);
    const [header, line, end] = csv.split('\r\n');
    expect(header).toBe(
      'protocol,localAddress,localPort,remoteAddress,remotePort,state,service,pid,process,holders,user,command,started',
    );
    expect(line).toContain(
      `tcp6,::1,3000,,,LISTEN,hbci,42,"'=cmd|""/c calc""!A1","42/=cmd|""/c calc""!A1",alice,`,
    );
    expect(csv).toContain('"node, ""server.js""\nsecond line"');
    expect(line).toBeDefined();
    expect(end).toBe('');
  });

  it('JSON export and the copied row keep hostile text as data', () => {
    const parsed = JSON.parse(toJson([base]));
    expect(parsed[0].process).toBe(base.process?.name);
    expect(parsed[0].started).toBe('2026-01-02T03:04:05.000Z');
    expect(rowToText(base).split('\t').slice(0, 4)).toEqual(['tcp6', '[::1]:3000', 'LISTEN', 'hbci']);
  });
});

describe('formatRate', () => {
  it('bytes per second in binary units; unknown is a dash', async () => {
    const { formatRate } = await import('./format');
    expect(formatRate(0)).toBe('0 B/s');
    expect(formatRate(1536)).toBe('1.5 KiB/s');
    expect(formatRate(null)).toBe('—');
  });
});
