import { describe, expect, it } from 'vitest';
import { parseFilter, tokenize } from './filter';
import type { SocketRow } from './model';
import { completeRow } from './testing/rows';

let nextPid = 5000;
/** A row; each gets its own PID unless given one (one PID + start identity = one process). */
function row(p: Partial<SocketRow> & { name?: string; user?: string; command?: string }): SocketRow {
  const { name, user, command, ...rest } = p;
  const pid = rest.pid === undefined ? nextPid++ : rest.pid;
  return completeRow({
    key: `${rest.protocol ?? 'tcp'}|${rest.localAddress ?? '127.0.0.1'}|${rest.localPort ?? 1}|${Math.random()}`,
    protocol: 'tcp',
    family: 4,
    localAddress: '127.0.0.1',
    localPort: 1,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid,
    service: null,
    process:
      name === undefined
        ? null
        : {
            name,
            command: command ?? `/usr/bin/${name}`,
            path: `/usr/bin/${name}`,
            user: user ?? 'alice',
            startTime: 0,
            startId: String(pid),
            ppid: 1,
            cpu: null,
            memory: null,
          },
    ...rest,
  });
}

const node3000 = row({
  name: 'node',
  localPort: 3000,
  pid: 1234,
  service: 'hbci',
  command: 'node server.js',
});
const node3999 = row({ name: 'node', localPort: 3999, pid: 1235 });
const chrome = row({
  name: 'chrome',
  localPort: 40000,
  remoteAddress: '93.184.216.34',
  remotePort: 443,
  state: 'ESTABLISHED',
  service: 'https',
  pid: 77,
  user: 'bob',
});
const dns = row({
  name: 'systemd-resolve',
  protocol: 'udp',
  family: 4,
  localAddress: '127.0.0.53',
  localPort: 53,
  state: 'UNCONN',
  service: 'domain',
  pid: 400,
  user: 'systemd-resolve',
});
const v6 = row({ name: 'sshd', family: 6, localAddress: '::', localPort: 22, service: 'ssh', user: 'root' });
const hidden = row({ localAddress: '0.0.0.0', localPort: 631, pid: null });
const rows = [node3000, node3999, chrome, dns, v6, hidden];

const hits = (text: string) => rows.filter(parseFilter(text).test);

describe('parseFilter', () => {
  it('an empty filter passes every row and says it is empty', () => {
    for (const t of ['', '   ', '""']) {
      const f = parseFilter(t);
      expect(f.empty).toBe(true);
      expect(f.issues).toEqual([]);
      expect(rows.filter(f.test)).toHaveLength(rows.length);
    }
  });

  it('plain words match name, command, address, port, service, user and PID, all words required', () => {
    expect(hits('NODE')).toEqual([node3000, node3999]);
    expect(hits('server.js')).toEqual([node3000]);
    expect(hits('127.0.0.53')).toEqual([dns]);
    expect(hits('127.0.0.1:3000')).toEqual([node3000]);
    expect(hits('https')).toEqual([chrome]);
    expect(hits('bob')).toEqual([chrome]);
    expect(hits('93.184')).toEqual([chrome]);
    expect(hits('node 3999')).toEqual([node3999]);
    expect(hits('node chrome')).toEqual([]);
    expect(parseFilter('node').empty).toBe(false);
  });

  it('port:, :port, ranges and lists', () => {
    expect(hits('port:3000')).toEqual([node3000]);
    expect(hits(':3000')).toEqual([node3000]);
    expect(hits('port:3000-3999')).toEqual([node3000, node3999]);
    expect(hits(':3001-3999')).toEqual([node3999]);
    expect(hits('port:22,53')).toEqual([dns, v6]);
    // Remote ports count too: a connection to 443 is found by port:443.
    expect(hits('port:443')).toEqual([chrome]);
    // Exact, never by digits: 300 is not 3000.
    expect(hits('port:300')).toEqual([]);
  });

  it('invalid port values are issues and are ignored', () => {
    for (const bad of [
      'port:0',
      'port:65536',
      'port:abc',
      'port:3999-3000',
      'port:1e3',
      'port:+80',
      'port:0x50',
    ]) {
      const f = parseFilter(bad);
      expect(f.issues, bad).toHaveLength(1);
      expect(f.issues[0]?.token).toBe(bad);
      expect(f.empty).toBe(true);
    }
  });

  it('proc:, pid:, user:, svc:, cmd:', () => {
    expect(hits('proc:node')).toEqual([node3000, node3999]);
    expect(hits('proc:resol')).toEqual([dns]);
    expect(hits('pid:1234')).toEqual([node3000]);
    expect(hits('pid:1234,77')).toEqual([node3000, chrome]);
    expect(parseFilter('pid:-1').issues).toHaveLength(1);
    expect(parseFilter('pid:12a').issues).toHaveLength(1);
    expect(hits('user:root')).toEqual([v6]);
    // user: is exact (root is not rootless), case-insensitive.
    expect(hits('user:ROO')).toEqual([]);
    expect(hits('svc:ssh')).toEqual([v6]);
    expect(hits('cmd:server')).toEqual([node3000]);
  });

  it('pid:, proc:, user:, cmd: and plain words match any holder of the socket, not only the first', () => {
    const master = row({ name: 'gunicorn', user: 'root', pid: 700 });
    const w = (pid: number) => ({
      pid,
      process: {
        ...(master.process as NonNullable<SocketRow['process']>),
        name: 'uvicorn',
        user: 'www',
        command: `uvicorn w${pid}`,
      },
    });
    const prefork = { ...master, owners: [{ pid: 700, process: master.process }, w(701), w(702)] };
    const passes = (text: string) => parseFilter(text).test(prefork);
    expect(passes('pid:702')).toBe(true);
    expect(passes('pid:703')).toBe(false);
    expect(passes('proc:uvicorn')).toBe(true);
    expect(passes('user:www')).toBe(true);
    expect(passes('user:root')).toBe(true);
    expect(passes('cmd:w701')).toBe(true);
    expect(passes('uvicorn')).toBe(true);
    expect(passes('-proc:uvicorn')).toBe(false);
    // A hidden holder: the socket's own user still answers user:.
    const hidden = row({ pid: null, inode: 9, user: undefined });
    expect(parseFilter('user:postgres').test({ ...hidden, user: 'postgres' })).toBe(true);
    expect(parseFilter('user:postgres').test(hidden)).toBe(false);
  });

  it('proto: with optional family, state: with prefixes', () => {
    expect(hits('proto:udp')).toEqual([dns]);
    expect(hits('proto:TCP6')).toEqual([v6]);
    expect(hits('proto:tcp4')).toHaveLength(4);
    expect(parseFilter('proto:sctp').issues[0]?.message).toMatch(/unknown protocol/);
    expect(hits('state:listen')).toEqual([node3000, node3999, v6, hidden]);
    expect(hits('state:estab')).toEqual([chrome]);
    expect(hits('state:established')).toEqual([chrome]);
    expect(hits('state:unconn')).toEqual([dns]);
    // BOUND is what the table shows for a bound UDP socket and a bound, inactive TCP one.
    const boundTcp = row({ name: 'py', localPort: 4000, state: 'BOUND' });
    expect(parseFilter('state:bound').test(dns)).toBe(true);
    expect(parseFilter('state:bound').test(boundTcp)).toBe(true);
    expect(parseFilter('state:bound').test(node3000)).toBe(false);
    expect(parseFilter('state:unconn').test(boundTcp)).toBe(false);
    expect(parseFilter('state:time-wait').issues).toEqual([]);
    expect(parseFilter('state:fin').issues[0]?.message).toMatch(/unknown state/);
  });

  it('addr: exact, subnet prefix, localhost and any', () => {
    expect(hits('addr:127.0.0.1')).toEqual([node3000, node3999, chrome]);
    expect(hits('addr:127.0.0.')).toEqual([node3000, node3999, chrome, dns]);
    expect(hits('addr:localhost')).toEqual([node3000, node3999, chrome, dns]);
    expect(hits('addr:any')).toEqual([v6, hidden]);
    expect(hits('addr:[::]')).toEqual([v6]);
    expect(hits('addr:93.184.216.34')).toEqual([chrome]);
  });

  it('negation excludes, for keys and for plain words', () => {
    expect(hits('-proc:chrome')).toEqual([node3000, node3999, dns, v6, hidden]);
    expect(hits('-node -chrome')).toEqual([dns, v6, hidden]);
    expect(hits('state:listen -port:3000-3999')).toEqual([v6, hidden]);
  });

  it('same key twice means either; different keys mean both', () => {
    expect(hits('proto:udp proto:tcp6')).toEqual([dns, v6]);
    expect(hits('proc:node port:3999')).toEqual([node3999]);
  });

  it('quoted values keep spaces and quotes group plain words', () => {
    const app = row({ name: 'my app', localPort: 8080, command: 'my app --serve' });
    const f = parseFilter('proc:"my app"');
    expect(f.test(app)).toBe(true);
    expect(f.test(node3000)).toBe(false);
    expect(parseFilter('"app --serve"').test(app)).toBe(true);
    expect(parseFilter('"app serve"').test(app)).toBe(false);
    expect(tokenize('proc:"a b" -x "c d"')).toEqual(['proc:a b', '-x', 'c d']);
  });

  it('unknown keys become a hint and are ignored; IPv6 text stays plain text', () => {
    const f = parseFilter('foo:bar node');
    expect(f.issues).toEqual([
      { token: 'foo:bar', message: expect.stringMatching(/^unknown filter 'foo:' — try port:, proc:/) },
    ]);
    expect(rows.filter(f.test)).toEqual([node3000, node3999]);
    expect(parseFilter('proc:').issues[0]?.message).toMatch(/needs a value/);
    const ll = row({ name: 'x', family: 6, localAddress: 'fe80::1', localPort: 5 });
    expect(parseFilter('fe80::1').issues).toEqual([]);
    expect(parseFilter('fe80::1').test(ll)).toBe(true);
    expect(parseFilter('::1').issues).toEqual([]);
  });

  it('hostile text is only ever compared, never interpreted', () => {
    const evil = row({ name: '<img src=x onerror=alert(1)>', command: '$(rm -rf /); `x`' });
    expect(parseFilter('<img').test(evil)).toBe(true);
    expect(parseFilter('proc:.*').test(evil)).toBe(false);
    expect(parseFilter('$(rm').test(evil)).toBe(true);
  });

  it('a process that exec()s keeps its PID and start time but is searched by its new name', () => {
    const before = row({ name: 'sh', pid: 4343 });
    const process = {
      ...(before.process as NonNullable<SocketRow['process']>),
      name: 'node',
      command: 'node app.js',
    };
    const after = { ...before, process, owners: [{ pid: 4343, process }] };
    expect(parseFilter('sh').test(before)).toBe(true);
    expect(parseFilter('node').test(after)).toBe(true);
    expect(parseFilter('sh').test(after)).toBe(false);
  });

  it('sockets of one process share its text; a new process on a reused PID is searched afresh', () => {
    const a1 = row({ name: 'alpha', pid: 4242, localPort: 1 });
    const a2 = row({ name: 'alpha', pid: 4242, localPort: 2 });
    const f = parseFilter('alpha');
    expect([a1, a2].map(f.test)).toEqual([true, true]);
    const reused = { ...row({ name: 'beta', pid: 4242, localPort: 3 }) };
    reused.process = { ...(reused.process as NonNullable<SocketRow['process']>), startId: 'other' };
    expect(f.test(reused)).toBe(false);
    expect(parseFilter('beta').test(reused)).toBe(true);
  });

  it('rows without a visible owner never match owner tokens but match address and port', () => {
    expect(hits('proc:node').includes(hidden)).toBe(false);
    expect(hits('631')).toEqual([hidden]);
    expect(hits('-user:alice')).toEqual([chrome, dns, v6, hidden]);
  });
});
