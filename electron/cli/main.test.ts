import { describe, expect, it } from 'vitest';
import type { SocketRow, SourceError } from '../../shared/model';
import { main } from './main';
import { captureIo } from './testing/capture-io';
import { proc, row } from './testing/rows';

/**
 * The dispatcher and the list/who commands in-process, with constructed rows: these pin down
 * usage errors, exit codes and output shapes. cli.real.test.ts runs the built CLI against real sockets.
 */

const rows: SocketRow[] = [
  row(3000, { pid: 42, process: proc('node'), service: 'hbci' }),
  row(30001, { pid: 43, process: proc('vite') }),
  row(53, { protocol: 'udp', state: 'UNCONN', pid: 44, process: proc('dnsmasq', { user: 'root' }) }),
];
const failing: SourceError = {
  source: 'proc-net',
  tool: 'ss',
  kind: 'missing',
  message: 'not found',
  hint: 'install iproute2',
};

async function run(argv: string[], data: { rows?: SocketRow[]; errors?: SourceError[] } = {}, tty = {}) {
  const cap = captureIo(async () => ({ rows: data.rows ?? rows, errors: data.errors ?? [] }), tty);
  const code = await main(argv, cap.io);
  return { code, out: cap.stdout(), err: cap.stderr(), scopes: cap.scopes };
}

describe('dispatcher', () => {
  it('prints the top-level help for no arguments, --help, -h and help', async () => {
    for (const argv of [[], ['--help'], ['-h'], ['help']]) {
      const r = await run(argv);
      expect(r.code).toBe(0);
      expect(r.out).toContain('Usage: portscope <command>');
      for (const cmd of ['list', 'who', 'kill', 'serve']) expect(r.out).toContain(`  ${cmd}`);
      expect(r.err).toBe('');
    }
  });

  it('prints each command help with --help, -h or help <command>, without collecting', async () => {
    for (const cmd of ['list', 'who', 'kill', 'serve']) {
      for (const argv of [
        [cmd, '--help'],
        [cmd, '-h'],
        ['help', cmd],
      ]) {
        const r = await run(argv);
        expect(r.code).toBe(0);
        expect(r.out).toContain(`Usage: portscope ${cmd}`);
        expect(r.scopes).toEqual([]);
      }
    }
  });

  it('prints the version from package.json', async () => {
    const r = await run(['--version']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^portscope \d+\.\d+\.\d+/);
  });

  it('answers wrong usage with one line on stderr and exit 2', async () => {
    const cases: [string[], string][] = [
      [['list', '--foo'], 'portscope: unknown option --foo (see portscope list --help)\n'],
      [['frobnicate'], "portscope: unknown command 'frobnicate' (see portscope --help)\n"],
      [['--json'], 'portscope: unknown option --json (see portscope --help)\n'],
      [['who'], 'portscope: missing <port> (see portscope who --help)\n'],
      [['who', '1', '2'], "portscope: unexpected argument '2' (see portscope who --help)\n"],
      [['help', 'nope'], "portscope: unknown command 'nope' (see portscope --help)\n"],
    ];
    for (const [argv, line] of cases) {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.err).toBe(line);
      expect(r.out).toBe('');
    }
  });
});

describe('list', () => {
  it('collects listening sockets by default and every socket with --all', async () => {
    expect((await run(['list'])).scopes).toEqual(['listening']);
    expect((await run(['list', '--all'])).scopes).toEqual(['all']);
    expect((await run(['list', '-a'])).out).toContain('REMOTE');
  });

  it('prints a sorted table with a header, or without one', async () => {
    const r = await run(['list']);
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROTO/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[2])).toEqual(['53', '3000', '30001']);
    const bare = await run(['list', '--no-header']);
    expect(bare.out.trimEnd().split('\n')).toHaveLength(3);
  });

  it('prints a JSON array of SocketRow, sorted', async () => {
    const r = await run(['list', '--json']);
    const parsed = JSON.parse(r.out) as SocketRow[];
    expect(parsed.map((x) => x.localPort)).toEqual([53, 3000, 30001]);
    // The JSON row always carries reach, remote name and the service name's source (null where none).
    expect(parsed[1]).toEqual({ ...rows[0], serviceSource: null, exposure: null, remoteName: null });
  });

  it('fits the terminal when stdout is a TTY', async () => {
    const long = [row(8080, { process: proc('java', { command: `java ${'-Dx=y '.repeat(80)}` }) })];
    const r = await run(['list'], { rows: long }, { isTTY: true, columns: 90 });
    for (const line of r.out.trimEnd().split('\n')) expect(line.length).toBeLessThanOrEqual(90);
  });

  it('warns about failed sources on stderr; exit 0 with rows, 1 without', async () => {
    const some = await run(['list'], { errors: [failing] });
    expect(some.code).toBe(0);
    expect(some.err).toBe('portscope: warning: ss: not found (install iproute2)\n');
    expect(some.out).toContain('3000');
    const none = await run(['list', '--json'], { rows: [], errors: [failing] });
    expect(none.code).toBe(1);
    expect(none.out).toBe('[]\n');
    expect(none.err).toContain('warning: ss');
    const quiet = await run(['list'], { rows: [] });
    expect(quiet.code).toBe(0);
    expect(quiet.out).toBe('No listening sockets.\n');
  });

  it('narrows with --filter using the shared filter language', async () => {
    const r = await run(['list', '--json', '--filter', 'proc:vite']);
    expect((JSON.parse(r.out) as SocketRow[]).map((x) => x.pid)).toEqual([43]);
    const neg = await run(['list', '--json', '--filter=-proc:vite']);
    expect((JSON.parse(neg.out) as SocketRow[]).map((x) => x.pid).sort()).toEqual([42, 44]);
    const none = await run(['list', '--filter', 'proc:nothing-like-this']);
    expect(none.out).toBe('No listening sockets match the filter.\n');
    expect(none.code).toBe(0);
  });

  it('rejects a filter with an unknown token as wrong usage', async () => {
    const r = await run(['list', '--filter', 'bogus:1']);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(r.err).toMatch(/^portscope: bad filter 'bogus:1'.*\(see portscope list --help\)\n$/);
    expect(r.scopes).toEqual([]);
  });
});

describe('who', () => {
  it('finds exactly the holder of the port', async () => {
    const r = await run(['who', '3000']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('node (PID 42)');
    expect(r.out).not.toContain('PID 43');
    const colon = await run(['who', ':30001']);
    expect(colon.out).toContain('vite (PID 43)');
    expect(colon.out).not.toContain('PID 42');
  });

  it('exits 1 when nobody holds the port (300 is neither 3000 nor 30001)', async () => {
    const r = await run(['who', '300']);
    expect(r.code).toBe(1);
    expect(r.out).toBe('Nobody is listening on port 300.\n');
    const json = await run(['who', '300', '--json']);
    expect(json.code).toBe(1);
    expect(json.out).toBe('[]\n');
  });

  it('rejects ports that are not plain decimal 1-65535 with exit 2', async () => {
    for (const bad of ['3000x', '0x50', '1e3', '0', '65536', '-1', ' 80', '+80', '', '::80']) {
      const r = await run(['who', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/^portscope: (invalid port|unknown option)/);
      expect(r.scopes).toEqual([]);
    }
  });

  it('prints holders as JSON, listeners first; connections only with --all', async () => {
    const withConn = [
      ...rows,
      row(3000, {
        pid: 50,
        state: 'ESTABLISHED',
        remoteAddress: '127.0.0.1',
        remotePort: 45000,
        process: proc('curl'),
      }),
    ];
    const plain = JSON.parse((await run(['who', '3000', '--json'], { rows: withConn })).out);
    expect(plain.map((h: { pid: number }) => h.pid)).toEqual([42]);
    const all = await run(['who', '3000', '--all', '--json'], { rows: withConn });
    expect(all.scopes).toEqual(['all']);
    expect(JSON.parse(all.out).map((h: { pid: number }) => h.pid)).toEqual([42, 50]);
  });

  it('exits 1 when only the kernel keeps sockets on the port, and lists them with --all', async () => {
    const tw = row(7000, {
      pid: null,
      process: null,
      inode: 0,
      state: 'TIME_WAIT',
      remoteAddress: '127.0.0.1',
      remotePort: 45000,
    });
    const r = await run(['who', '7000', '--all'], { rows: [...rows, tw] });
    expect(r.code).toBe(1);
    expect(r.out).toContain('no process (closed by its owner; the kernel keeps it for up to 60 s)');
    const json = JSON.parse((await run(['who', '7000', '--all', '--json'], { rows: [tw] })).out);
    expect(json).toMatchObject([{ pid: null, owners: [], holder: 'kernel' }]);
  });
});
