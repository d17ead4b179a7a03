import { projectPred, reachPred } from './filter-project';
import type { ContainerRef, SocketRow, SocketState } from './model';
import { parsePid, parsePort } from './numbers';
import { serviceSearchText } from './service-names';
import { isLoopbackAddress } from './socket-rules';

/**
 * The filter language shared by the table's filter box and the CLI's `--filter`.
 *
 *   node 3000              plain words: each must appear in name, command, address, port, service,
 *                          user or PID (case-insensitive)
 *   port:3000 :3000        local or remote port; ranges `port:3000-3999`; lists `port:80,443`
 *   proc:node pid:1234     process name (substring) / exact PID, of any holder of the socket
 *   proto:udp proto:tcp6   protocol, optionally with the IP family
 *   state:listen           socket state (unique prefixes work: `state:estab`)
 *   user:alice addr:127.0.0.1 svc:http cmd:--inspect
 *   project:shop           project name, folder or git branch of any holder
 *   reach:network          listeners reachable from the network (`reach:loopback`: local only)
 *   container:web image:nginx  the container that publishes the port or runs its holder
 *   -proc:chrome -foo      a leading '-' negates any token
 *   proc:"my app"          quotes keep spaces in a value
 *
 * Positive tokens with the same key are alternatives (`proto:tcp proto:udp` = either); different keys
 * and negations must all hold. Unknown keys and invalid values become `issues` and are ignored, so a
 * typo narrows nothing instead of emptying the table.
 */

export interface FilterIssue {
  token: string;
  message: string;
}

export interface CompiledFilter {
  /** True when the row passes; allocation-free per row after the row's first test. */
  test(row: SocketRow): boolean;
  issues: FilterIssue[];
  /** True when nothing narrows (blank text, or only invalid tokens). */
  empty: boolean;
}

type Pred = (row: SocketRow) => boolean;

/** The keys the language knows, with their aliases, in the order hints list them. */
const KEYS = [
  'port',
  'proc',
  'pid',
  'proto',
  'state',
  'user',
  'addr',
  'svc',
  'cmd',
  'project',
  'reach',
  'container',
  'image',
] as const;
type Key = (typeof KEYS)[number];
const ALIASES: Record<string, Key> = {
  port: 'port',
  proc: 'proc',
  process: 'proc',
  name: 'proc',
  pid: 'pid',
  proto: 'proto',
  protocol: 'proto',
  state: 'state',
  user: 'user',
  addr: 'addr',
  address: 'addr',
  ip: 'addr',
  svc: 'svc',
  service: 'svc',
  cmd: 'cmd',
  command: 'cmd',
  project: 'project',
  proj: 'project',
  reach: 'reach',
  exposure: 'reach',
  container: 'container',
  ctr: 'container',
  image: 'image',
};
const HINT = KEYS.map((k) => `${k}:`).join(', ');

const STATES: SocketState[] = [
  'LISTEN',
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'TIME_WAIT',
  'CLOSE',
  'CLOSE_WAIT',
  'LAST_ACK',
  'CLOSING',
  'UNCONN',
  'BOUND',
  'UNKNOWN',
];

/** Lower-cased text of a process, shared by all its sockets (a command line can be kilobytes). */
interface ProcText {
  /** The raw text this was made from: exec() keeps PID and start time but changes name and command. */
  raw: { name: string; command: string; user: string };
  name: string;
  command: string;
  user: string;
  /** name, command and user joined by a separator no word can span. */
  all: string;
}

/** Lower-cased text of a row, computed once per row object (rows are replaced, never mutated). */
interface RowText {
  /** Text of every visible holder, parent first (a pre-fork server's workers are searched too). */
  procs: { pid: number; text: ProcText }[];
  /** The socket's own user (the kernel's word, also for a holder we cannot see), lower-cased. */
  user: string;
  service: string;
  /** Socket text plain words search: service, endpoints, PID. */
  sock: string;
}
const textCache = new WeakMap<SocketRow, RowText>();
/** Per PID (checked against the raw text): 10,000 sockets of one process lower-case once. */
const procCache = new Map<number, ProcText>();

function procText(pid: number, p: SocketRow['process']): ProcText | null {
  if (!p) return null;
  const hit = procCache.get(pid);
  if (hit && hit.raw.name === p.name && hit.raw.command === p.command && hit.raw.user === p.user) return hit;
  const name = p.name.toLowerCase();
  const command = p.command.toLowerCase();
  const user = p.user.toLowerCase();
  const t: ProcText = {
    raw: { name: p.name, command: p.command, user: p.user },
    name,
    command,
    user,
    all: `${name}\u0000${command}\u0000${user}`,
  };
  // Bounded: one entry per live PID; a very long session drops it all rather than grow forever.
  if (procCache.size > 50_000) procCache.clear();
  procCache.set(pid, t);
  return t;
}

/** Socket text by key, with what it was made from: a row replaced for its process keeps its socket. */
interface SockText {
  service: string | null;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
  /** Every holder's PID, space-separated. */
  pids: string;
  lower: string;
  sock: string;
}
const sockCache = new Map<string, SockText>();

function sockText(row: SocketRow): SockText {
  const pids = row.owners.map((o) => o.pid).join(' ');
  const hit = sockCache.get(row.key);
  if (
    hit &&
    hit.service === row.service &&
    hit.localAddress === row.localAddress &&
    hit.localPort === row.localPort &&
    hit.remoteAddress === row.remoteAddress &&
    hit.remotePort === row.remotePort &&
    hit.pids === pids
  )
    return hit;
  // The name shown and the IANA registry's when a curated one replaced it: svc: matches both.
  const lower = serviceSearchText(row).toLowerCase();
  const local = `${row.localAddress}:${row.localPort}`.toLowerCase();
  const remote =
    row.remoteAddress === null ? '' : `${row.remoteAddress}:${row.remotePort ?? '*'}`.toLowerCase();
  const t: SockText = {
    service: row.service,
    localAddress: row.localAddress,
    localPort: row.localPort,
    remoteAddress: row.remoteAddress,
    remotePort: row.remotePort,
    pids,
    lower,
    sock: [lower, local, remote, pids].join('\u0000'),
  };
  // Bounded like procCache: a very long session starts over rather than grow forever.
  if (sockCache.size > 200_000) sockCache.clear();
  sockCache.set(row.key, t);
  return t;
}

function rowText(row: SocketRow): RowText {
  let t = textCache.get(row);
  if (t) return t;
  // Every socket of a process arrives as a new row when only the process's CPU moved (10,000 at
  // once for a busy server): the socket's text is looked up, not rebuilt.
  const st = sockText(row);
  const procs: RowText['procs'] = [];
  for (const o of row.owners) {
    const text = procText(o.pid, o.process);
    if (text) procs.push({ pid: o.pid, text });
  }
  t = { procs, user: (row.user ?? '').toLowerCase(), service: st.lower, sock: st.sock };
  textCache.set(row, t);
  return t;
}

/**
 * A plain word: the socket's own text, or its process's. The process answer is remembered per PID
 * for this compiled filter, so 10,000 sockets of one process search its command line once.
 */
function plainPred(v: string): Pred {
  const seen = new Map<number, { proc: ProcText; hit: boolean }>();
  const procHit = (pid: number, proc: ProcText) => {
    const known = seen.get(pid);
    if (known && known.proc === proc) return known.hit;
    const hit = proc.all.includes(v);
    seen.set(pid, { proc, hit });
    return hit;
  };
  return (r) => {
    const t = rowText(r);
    if (t.sock.includes(v)) return true;
    for (const { pid, text } of t.procs) if (procHit(pid, text)) return true;
    return false;
  };
}

/** True when any holder's text passes `test` (every holder counts, not only the first). */
function anyHolder(r: SocketRow, test: (p: ProcText) => boolean): boolean {
  for (const { text } of rowText(r).procs) if (test(text)) return true;
  return false;
}

/** Split the text into tokens; quotes group words and may follow a key (`proc:"my app"`). */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let cur = '';
  let quoted = false;
  let inToken = false;
  for (const ch of text) {
    if (ch === '"') {
      quoted = !quoted;
      inToken = true;
    } else if (!quoted && /\s/.test(ch)) {
      if (inToken) tokens.push(cur);
      cur = '';
      inToken = false;
    } else {
      cur += ch;
      inToken = true;
    }
  }
  if (inToken) tokens.push(cur);
  return tokens;
}

/** A token's key, when it has the shape `key:value` with a plain alphabetic key. */
const KEYED = /^([a-z]+):([\s\S]*)$/i;
/** Looks like an IPv6 address or fragment (so `fe80::1` or `dead::beef` stay plain text). */
const IPV6ISH = /^[0-9a-f]*:[0-9a-f:.%]*$/i;

type Compiled = { pred: Pred } | { issue: string } | null;

function portRange(value: string): [number, number] | null {
  const dash = value.indexOf('-');
  if (dash < 0) {
    const p = parsePort(value);
    return p === null ? null : [p, p];
  }
  const lo = parsePort(value.slice(0, dash));
  const hi = parsePort(value.slice(dash + 1));
  return lo === null || hi === null || lo > hi ? null : [lo, hi];
}

function isAny(a: string): boolean {
  return a === '0.0.0.0' || a === '::' || a === '*' || a === '[::]';
}

/** Address match: exact, a prefix ending in '.' or ':' (a subnet), or `localhost` / `any`. */
function addrPred(value: string): Pred {
  const v = value.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  let one: (a: string) => boolean;
  if (v === 'localhost' || v === 'loopback') one = isLoopbackAddress;
  else if (v === 'any' || v === 'all' || v === '*') one = isAny;
  else if (v.endsWith('.') || v.endsWith(':') || v.endsWith('*')) {
    const prefix = v.endsWith('*') ? v.slice(0, -1) : v;
    one = (a) => a.toLowerCase().startsWith(prefix);
  } else one = (a) => a.toLowerCase() === v;
  return (r) => one(r.localAddress) || (r.remoteAddress !== null && one(r.remoteAddress));
}

function statePred(value: string): Compiled {
  const v = value.toUpperCase().replace(/-/g, '_');
  const exact = STATES.find((s) => s === v || s.replace(/_/g, '') === v);
  const matches = exact ? [exact] : STATES.filter((s) => s.startsWith(v));
  if (v === 'ESTAB') matches.splice(0, matches.length, 'ESTABLISHED');
  if (matches.length !== 1) {
    return { issue: `unknown state '${value}' — try listen, established, time_wait, bound, …` };
  }
  const s = matches[0];
  // The table shows a bound UDP socket (UNCONN) as BOUND too: state:bound finds what it shows.
  if (s === 'BOUND') return { pred: (r) => r.state === 'BOUND' || r.state === 'UNCONN' };
  return { pred: (r) => r.state === s };
}

/** Compile one `key:value` (value non-empty, already unquoted) into a predicate or an issue. */
function compileKey(key: Key, value: string): Compiled {
  switch (key) {
    case 'port': {
      const ranges: [number, number][] = [];
      for (const part of value.split(',')) {
        const r = portRange(part);
        if (!r) return { issue: `'${part}' is not a port or range (1-65535, e.g. 3000 or 3000-3999)` };
        ranges.push(r);
      }
      return {
        pred: (row) => {
          for (const [lo, hi] of ranges) {
            if (row.localPort >= lo && row.localPort <= hi) return true;
            if (row.remotePort !== null && row.remotePort >= lo && row.remotePort <= hi) return true;
          }
          return false;
        },
      };
    }
    case 'pid': {
      const pids: number[] = [];
      for (const part of value.split(',')) {
        const p = parsePid(part);
        if (p === null) return { issue: `'${part}' is not a PID (a positive whole number)` };
        pids.push(p);
      }
      return { pred: (r) => r.owners.some((o) => pids.includes(o.pid)) };
    }
    case 'proto': {
      const m = /^(tcp|udp)([46])?$/i.exec(value);
      if (!m) return { issue: `unknown protocol '${value}' — try tcp, udp, tcp4, tcp6, udp4 or udp6` };
      const proto = (m[1] as string).toLowerCase();
      const fam = m[2] ? Number(m[2]) : null;
      return { pred: (r) => r.protocol === proto && (fam === null || r.family === fam) };
    }
    case 'state':
      return statePred(value);
    case 'addr':
      return { pred: addrPred(value) };
    case 'proc': {
      const v = value.toLowerCase();
      return { pred: (r) => anyHolder(r, (p) => p.name.includes(v)) };
    }
    case 'user': {
      const v = value.toLowerCase();
      // A holder's (effective) user, or the socket's own user when no holder is visible.
      return {
        pred: (r) => anyHolder(r, (p) => p.user === v) || (r.owners.length === 0 && rowText(r).user === v),
      };
    }
    case 'svc': {
      const v = value.toLowerCase();
      return { pred: (r) => rowText(r).service.includes(v) };
    }
    case 'cmd': {
      const v = value.toLowerCase();
      return { pred: (r) => anyHolder(r, (p) => p.command.includes(v)) };
    }
    case 'project':
      return { pred: projectPred(value) };
    case 'reach':
      return reachPred(value);
    case 'container':
    case 'image':
      return { pred: containerPred(key, value.toLowerCase()) };
  }
}

/**
 * `container:web` (name, short id or compose service) and `image:nginx`, substring, of the
 * container that publishes the port or that a holder runs in.
 */
function containerPred(key: 'container' | 'image', v: string): Pred {
  const hit = (c: ContainerRef | null | undefined) =>
    !!c &&
    (key === 'image'
      ? c.image.toLowerCase().includes(v)
      : c.name.toLowerCase().includes(v) ||
        c.id.startsWith(v) ||
        (c.composeService ?? '').toLowerCase() === v);
  return (r) => hit(r.container) || r.owners.some((o) => hit(o.process?.container));
}

/** Compile one token (negation already stripped) into a keyed predicate, plain predicate or issue. */
function compileToken(token: string): { key: Key | 'text'; compiled: Compiled } {
  // `:3000` and `:3000-3999` are the port shorthand.
  if (/^:\d/.test(token)) return { key: 'port', compiled: compileKey('port', token.slice(1)) };
  const m = KEYED.exec(token);
  if (m && !IPV6ISH.test(token)) {
    const rawKey = (m[1] as string).toLowerCase();
    const value = m[2] as string;
    const key = ALIASES[rawKey];
    if (!key) return { key: 'text', compiled: { issue: `unknown filter '${rawKey}:' — try ${HINT}` } };
    if (value === '') return { key, compiled: { issue: `'${rawKey}:' needs a value, e.g. ${example(key)}` } };
    return { key, compiled: compileKey(key, value) };
  }
  const v = token.toLowerCase();
  return { key: 'text', compiled: v === '' ? null : { pred: plainPred(v) } };
}

function example(key: Key): string {
  const examples: Record<Key, string> = {
    port: 'port:3000',
    proc: 'proc:node',
    pid: 'pid:1234',
    proto: 'proto:udp',
    state: 'state:listen',
    user: 'user:alice',
    addr: 'addr:127.0.0.1',
    svc: 'svc:http',
    cmd: 'cmd:--inspect',
    project: 'project:shop-web',
    reach: 'reach:network',
    container: 'container:web',
    image: 'image:nginx',
  };
  return examples[key];
}

/**
 * Compile filter text once; call `test(row)` per row. Never throws: problems are returned as
 * `issues` (one per offending token) and the offending token is ignored.
 */
export function parseFilter(text: string): CompiledFilter {
  const issues: FilterIssue[] = [];
  const groups = new Map<Key, Pred[]>();
  const all: Pred[] = [];
  for (const raw of tokenize(text)) {
    const negated = raw.length > 1 && raw.startsWith('-');
    const body = negated ? raw.slice(1) : raw;
    const { key, compiled } = compileToken(body);
    if (compiled === null) continue;
    if ('issue' in compiled) {
      issues.push({ token: raw, message: compiled.issue });
      continue;
    }
    const pred = compiled.pred;
    if (negated) all.push((r) => !pred(r));
    else if (key === 'text') all.push(pred);
    else {
      const list = groups.get(key);
      if (list) list.push(pred);
      else groups.set(key, [pred]);
    }
  }
  for (const preds of groups.values()) {
    if (preds.length === 1) all.push(preds[0] as Pred);
    else all.push((r) => preds.some((p) => p(r)));
  }
  const n = all.length;
  const test =
    n === 0
      ? () => true
      : (row: SocketRow) => {
          for (let i = 0; i < n; i++) if (!(all[i] as Pred)(row)) return false;
          return true;
        };
  return { test, issues, empty: n === 0 };
}
