import { type ChildProcess, execFile, spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../shared/model';
import { type Listener, spawnListener } from '../core/testing/children';
import { runInPty } from './testing/pty-run';

/**
 * The real CLI, as users run it: the bundle `vite build -c vite.cli.config.mts` makes, spawned
 * with node, against real sockets held by real child processes. Nothing here is constructed.
 */

const ROOT = join(__dirname, '..', '..');
// Inside node_modules so the bundle's external requires (systeminformation, zod…) resolve.
const CACHE = join(ROOT, 'node_modules', '.cache');
mkdirSync(CACHE, { recursive: true });
const OUT = mkdtempSync(join(CACHE, 'portscope-cli-test-'));
const BUNDLE = join(OUT, 'index.cjs');
const children: Listener[] = [];
const extra: ChildProcess[] = [];

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BUNDLE, ...args],
      { timeout: 30_000, maxBuffer: 64 << 20 },
      (error, out, err) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, out, err });
      },
    );
  });
}

async function listener(opts: Parameters<typeof spawnListener>[0]): Promise<Listener> {
  const l = await spawnListener(opts);
  children.push(l);
  return l;
}

/** Bind `port` on 127.0.0.1 in a child, or null when it is taken. */
async function tryListener(port: number, name: string): Promise<Listener | null> {
  try {
    return await listener({ port, name });
  } catch {
    return null;
  }
}

/** A port nobody holds right now: bind port 0, read it, close it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

beforeAll(() => {
  const vite = join(ROOT, 'node_modules', '.bin', 'vite');
  const r = spawnSync(
    vite,
    ['build', '-c', 'vite.cli.config.mts', '--outDir', OUT, '--emptyOutDir', '--logLevel', 'error'],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`CLI build failed:\n${r.stdout}\n${r.stderr}`);
}, 120_000);

afterAll(() => {
  for (const c of children) c.kill();
  for (const c of extra) c.kill('SIGKILL');
  rmSync(OUT, { recursive: true, force: true });
});

describe('portscope (built bundle) against real sockets', () => {
  it('lists a TCP listener with its PID and process name, as a table and as JSON', async () => {
    const l = await listener({ name: 'ps-clitest' });
    const json = await cli('list', '--json');
    expect(json.code).toBe(0);
    const rows = JSON.parse(json.out) as SocketRow[];
    const mine = rows.filter((r) => r.localPort === l.port && r.protocol === 'tcp');
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ pid: l.pid, state: 'LISTEN', localAddress: '127.0.0.1', family: 4 });
    expect(mine[0]?.process?.name).toBe('ps-clitest');

    const table = await cli('list');
    expect(table.code).toBe(0);
    const lines = table.out.split('\n');
    expect(lines[0]).toMatch(/^PROTO\s+LOCAL ADDRESS\s+PORT/);
    const line = lines.find((x) => new RegExp(`^tcp\\s+127\\.0\\.0\\.1\\s+${l.port}\\s`).test(x));
    expect(line).toBeDefined();
    expect(line).toMatch(new RegExp(`\\s${l.pid}\\s+ps-clitest\\s`));
    // Sorted by port: the listed ports never go down.
    const ports = lines
      .slice(1)
      .filter(Boolean)
      .map((x) => Number(x.split(/\s+/)[2]));
    expect(ports).toEqual([...ports].sort((a, b) => a - b));
  });

  it('writes IPv6 as the GUI does (tcp6 ::1) and shows bound UDP sockets', async () => {
    const v6 = await listener({ host: '::1' });
    const udp = await listener({ protocol: 'udp' });
    const r = await cli('list', '--no-header');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^tcp6\\s+::1\\s+${v6.port}\\s.*\\s${v6.pid}\\s`, 'm'));
    expect(r.out).toMatch(
      new RegExp(`^udp\\s+127\\.0\\.0\\.1\\s+${udp.port}\\s.*\\s${udp.pid}\\s.*UNCONN`, 'm'),
    );
  });

  it('narrows with --filter and shows connections only with --all', async () => {
    const l = await listener({ name: 'ps-filtered' });
    const only = JSON.parse((await cli('list', '--json', '--filter', `:${l.port}`)).out) as SocketRow[];
    expect(only.map((r) => r.pid)).toEqual([l.pid]);
    const byName = JSON.parse(
      (await cli('list', '--json', '--filter', 'proc:ps-filtered')).out,
    ) as SocketRow[];
    expect(byName.map((r) => r.localPort)).toEqual([l.port]);
    const bad = await cli('list', '--filter', 'nonsense:1');
    expect(bad.code).toBe(2);
    expect(bad.err.trimEnd().split('\n')).toHaveLength(1);

    const client = await import('node:net').then(
      (net) =>
        new Promise<import('node:net').Socket>((resolve) => {
          const c = net.createConnection(l.port, '127.0.0.1', () => resolve(c));
        }),
    );
    try {
      const listening = JSON.parse((await cli('list', '--json')).out) as SocketRow[];
      expect(listening.some((r) => r.remotePort === l.port)).toBe(false);
      const all = JSON.parse((await cli('list', '--all', '--json')).out) as SocketRow[];
      const conn = all.find((r) => r.remotePort === l.port && r.localPort === client.localPort);
      expect(conn).toMatchObject({ state: 'ESTABLISHED', pid: process.pid });
    } finally {
      client.destroy();
    }
  });

  it('who <port> names exactly the holder; a port inside its digits is someone else or nobody', async () => {
    // Hold P, and a port Q made of P's leading digits (e.g. 41234 → 4123), when Q can be bound.
    let a: Listener | null = null;
    let b: Listener | null = null;
    for (let attempt = 0; attempt < 20 && !b; attempt++) {
      a = await listener({ name: 'ps-holder-a' });
      const q = Number(String(a.port).slice(0, -1));
      if (q >= 1024) b = await tryListener(q, 'ps-holder-b');
    }
    if (!a || !b) throw new Error('could not bind a port made of another port’s digits');

    const who = await cli('who', String(a.port));
    expect(who.code).toBe(0);
    expect(who.out).toContain(`ps-holder-a (PID ${a.pid})`);
    expect(who.out).toMatch(/command {2}.+/);
    expect(who.out).toMatch(/user {5}\S+/);
    expect(who.out).toMatch(/started {2}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
    expect(who.out).toContain(`tcp 127.0.0.1:${a.port} LISTEN`);
    expect(who.out).not.toContain(`PID ${b.pid}`);

    const short = await cli('who', `:${b.port}`, '--json');
    expect(short.code).toBe(0);
    const holders = JSON.parse(short.out) as { pid: number; sockets: SocketRow[] }[];
    expect(holders.map((h) => h.pid)).toContain(b.pid);
    expect(holders.map((h) => h.pid)).not.toContain(a.pid);
    for (const h of holders) for (const s of h.sockets) expect(s.localPort).toBe(b.port);

    const nobody = await cli('who', String(await freePort()));
    expect(nobody.code).toBe(1);
    expect(nobody.out).toMatch(/^Nobody is listening on port \d+\.\n$/);
  });

  it('who rejects ports that are not plain decimal with exit 2 and one line', async () => {
    for (const bad of ['3000x', '0x50', '1e3', '70000']) {
      const r = await cli('who', bad);
      expect(r.code, bad).toBe(2);
      expect(r.err).toBe(
        `portscope: invalid port '${bad}' (expected 1-65535, e.g. 3000 or :3000) (see portscope who --help)\n`,
      );
    }
  });

  it.runIf(process.platform === 'linux')(
    'never writes control characters from a hostile process name or command',
    async () => {
      // The child renames itself (comm) with an escape sequence and carries OSC/BEL in its argv.
      const script = `
      try { require('node:fs').writeFileSync('/proc/self/comm', 'ps\\x1b[31mevil'); } catch {}
      const s = require('node:net').createServer();
      s.listen(0, '127.0.0.1', () => process.stdout.write('LISTENING ' + s.address().port + '\\n'));
      process.stdin.on('end', () => process.exit(0));
      process.stdin.resume();`;
      const child = spawn(process.execPath, ['-e', script, '\u001b]0;pwned\u0007', '\u001b[2J'], {
        stdio: 'pipe',
      });
      extra.push(child);
      const port = await new Promise<number>((resolve) => {
        child.stdout?.on('data', (d: Buffer) => {
          const m = /LISTENING (\d+)/.exec(d.toString());
          if (m) resolve(Number(m[1]));
        });
      });
      for (const args of [['list'], ['list', '--all'], ['who', String(port)]]) {
        const r = await cli(...args);
        expect(r.out).toContain(String(child.pid));
        // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting that none reach the terminal.
        expect(r.out.replace(/\n/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }
      const who = await cli('who', String(port));
      expect(who.out).toMatch(/ps\?\[31mevil|\?\]0;pwned\?/);
    },
  );

  it('fits a pseudo-terminal of 80 columns (no line longer than 80), and --wide or a pipe keeps it all', async () => {
    const l = await listener({ name: 'ps-pty-test' });
    const { COLUMNS: _drop, ...env } = process.env;
    for (const args of [['list'], ['list', '--all'], ['who', String(l.port)]]) {
      const r = await runInPty(80, [process.execPath, BUNDLE, ...args], env);
      expect(r.code, args.join(' ')).toBe(0);
      const lines = r.out.trimEnd().split('\n');
      expect(lines.join('\n')).toContain(String(l.port));
      for (const line of lines) expect(line.length, `${args.join(' ')}: ${line}`).toBeLessThanOrEqual(80);
    }
    // The listener's command line (node -e <script>) is far longer than 80: cut on the terminal only.
    const cut = await runInPty(80, [process.execPath, BUNDLE, 'who', String(l.port)], env);
    expect(cut.out).toMatch(/command {2}.*…\n/);
    const wide = await runInPty(80, [process.execPath, BUNDLE, 'who', String(l.port), '--wide'], env);
    expect(wide.out.split('\n').some((line) => line.length > 80)).toBe(true);
    const piped = await cli('who', String(l.port));
    expect(piped.out.split('\n').some((line) => line.length > 80)).toBe(true);
  }, 60_000);

  it('answers --help, --version and wrong usage like a CLI should', async () => {
    const help = await cli('--help');
    expect(help.code).toBe(0);
    expect(help.out).toContain('Usage: portscope <command>');
    expect((await cli('--version')).out).toMatch(/^portscope \d+\.\d+\.\d+\n$/);
    const bad = await cli('list', '--foo');
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('portscope: unknown option --foo (see portscope list --help)\n');
    expect(bad.out).toBe('');
  });

  it('serve: the browser launcher never sees the token, and SIGTERM removes the forwarding file', async () => {
    const dir = mkdtempSync(join(OUT, 'serve-'));
    const runtime = mkdtempSync(join(OUT, 'runtime-'));
    // The stand-in records its argv and the file, then reports through a FIFO: an event to await.
    const done = join(dir, 'done');
    spawnSync('mkfifo', [done]);
    const script = join(dir, 'browser.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/argv"\ncat "$1" > "${dir}/page"\necho ok > "${done}"\n`,
    );
    chmodSync(script, 0o755);
    const child = spawn(process.execPath, [BUNDLE, 'serve', '--port', '0'], {
      env: {
        PATH: process.env.PATH,
        DISPLAY: ':99',
        BROWSER: script,
        XDG_RUNTIME_DIR: runtime,
        XDG_CONFIG_HOME: dir,
      },
    });
    extra.push(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
    });
    expect(await readFile(done, 'utf8')).toBe('ok\n');
    const url = /running at (\S+)/.exec(out)?.[1] as string;
    const token = /token=([\w-]+)/.exec(url)?.[1] as string;
    expect(token.length).toBeGreaterThan(20);
    const [file, ...rest] = readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n');
    expect(rest).toEqual([]);
    expect(file).not.toContain(token);
    expect(readFileSync(join(dir, 'page'), 'utf8')).toContain(url);
    expect(existsSync(file as string)).toBe(true);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(readdirSync(runtime)).toEqual([]);
  }, 30_000);
});
