import type {
  CloseOutcome,
  ConnectionRef,
  ContainerRef,
  Exposure,
  FreePortOutcome,
  HolderKind,
  KillOutcome,
  Owner,
  Protocol,
  SocketRow,
  SocketState,
  SourceError,
  SupervisorRef,
} from './model';

/**
 * The decisions about sockets that every front door makes, written once. The CLI, the table, the
 * quick view, the tray, notifications and the kill code all call these; none keeps its own copy
 * (copies drifted before: "holds a port" disagreed on UDP, "kill finished" on `not-found`).
 */

/**
 * TCP listeners and bound UDP sockets (no connected peer): what "is listening" means everywhere.
 * UDP state comes from the kernel on Linux (UNCONN); other sources give none, and then an
 * unconnected socket (no remote, or `*`) is a bound one.
 */
export function isListening(row: Pick<SocketRow, 'protocol' | 'state' | 'remoteAddress'>): boolean {
  if (row.protocol === 'tcp') return row.state === 'LISTEN';
  return row.remoteAddress === null || row.remoteAddress === '*' || row.state === 'UNCONN';
}

/**
 * Whether this socket holds `port` (exactly that port, listening/bound, optionally one protocol):
 * what `who`, `kill <port>`, "free this port" and "port N opened" test. Clients connected *to*
 * the port and connections accepted on it do not hold it.
 */
export function holdsPort(
  row: Pick<SocketRow, 'protocol' | 'state' | 'remoteAddress' | 'localPort'>,
  port: number,
  protocol: Protocol | null = null,
): boolean {
  return row.localPort === port && (protocol === null || row.protocol === protocol) && isListening(row);
}

/**
 * A loopback address: 127.0.0.0/8, ::1, their IPv4-mapped form (::ffff:127.x.y.z), `localhost`.
 * Brackets and a zone (`[::1]`, `::1%lo`) are ignored.
 */
export function isLoopbackAddress(address: string): boolean {
  const a = address
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  if (a === '::1' || a === '0:0:0:0:0:0:0:1' || a === 'localhost') return true;
  const v4 = a.startsWith('::ffff:') ? a.slice(7) : a;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

/**
 * Who can reach a listening (or bound UDP) socket: `loopback` when it is bound to a loopback
 * address or to the loopback device (SO_BINDTODEVICE lo: even on 0.0.0.0 only local peers get
 * in), `network` otherwise: a wildcard (0.0.0.0, ::, *) listens on every interface. Connections
 * have no reach of their own: null.
 */
export function exposure(
  row: Pick<SocketRow, 'protocol' | 'state' | 'remoteAddress' | 'localAddress' | 'device'>,
): Exposure | null {
  if (!isListening(row)) return null;
  if (row.device === 'lo' || isLoopbackAddress(row.localAddress)) return 'loopback';
  return 'network';
}

/** States in which no process can hold a socket: the kernel keeps it until a timer ends. */
const KERNEL_ONLY: ReadonlySet<SocketState> = new Set(['TIME_WAIT']);

/**
 * Who is behind a socket, from what the source told us. `inode === 0` is the kernel's own word
 * that no file descriptor refers to the socket (TIME_WAIT, LAST_ACK or FIN_WAIT2 after close(), a
 * request socket); a socket with an inode but no visible owner is held by a process this user
 * cannot see. Sources that know no inode (systeminformation) fall back to the state.
 */
export function holderKind(row: Pick<SocketRow, 'owners' | 'inode' | 'state'>): HolderKind {
  if (row.owners.length > 0) return 'process';
  if (row.inode === 0) return 'kernel';
  if (row.inode === null && KERNEL_ONLY.has(row.state)) return 'kernel';
  return 'hidden';
}

/** How long the kernel may keep a socket of this state after its owner closed it (Linux defaults). */
export function kernelHoldSeconds(state: SocketState): number {
  return state === 'TIME_WAIT' ? 60 : state === 'FIN_WAIT2' ? 60 : 120;
}

/**
 * The words for a socket without a visible owner, the same in the CLI, the table, details, the
 * quick view and the tray. `privileged`: the viewer is root, so a hidden owner cannot be "another
 * user's process" (it is one in another PID namespace).
 */
export function holderText(
  row: Pick<SocketRow, 'owners' | 'inode' | 'state' | 'user' | 'uid' | 'holder' | 'container'>,
  privileged = false,
): string {
  // A published port with no host socket (userland-proxy off): the container itself holds it.
  if (row.owners.length === 0 && row.container) return `container ${containerText(row.container)}`;
  if (row.holder === 'process') return row.owners[0]?.process?.name ?? `PID ${row.owners[0]?.pid}`;
  if (row.holder === 'kernel')
    return `no process (closed by its owner; the kernel keeps it for up to ${kernelHoldSeconds(row.state)} s)`;
  const who = row.user ? `user ${row.user}` : row.uid !== null ? `uid ${row.uid}` : null;
  if (privileged) return who ? `not visible (a socket of ${who} in another PID namespace)` : 'not visible';
  return who ? `not visible (a socket of ${who})` : 'not visible (another user’s process)';
}

/**
 * "nginx", "nginx +4 workers", "node +1 other": one line for every holder of a socket. Workers are
 * holders that are descendants (same name) of the first; anything else is "other".
 */
export function ownersSummary(owners: readonly Owner[]): string {
  const first = owners[0];
  if (!first) return '';
  const name = first.process?.name ?? `PID ${first.pid}`;
  const rest = owners.length - 1;
  if (rest === 0) return name;
  const sameName = owners.slice(1).every((o) => o.process?.name === first.process?.name);
  const noun = sameName ? (rest === 1 ? 'worker' : 'workers') : rest === 1 ? 'other' : 'others';
  return `${name} +${rest} ${noun}`;
}

/**
 * Processes that only forward a container's published port (Docker's docker-proxy, rootless
 * Podman/Docker's rootlessport and its child, slirp4netns, pasta): ending one breaks the port
 * mapping while the container keeps running, so a kill is refused and Stop container offered.
 * Matched on the kernel's 15-character comm.
 */
const PORT_PROXIES: ReadonlySet<string> = new Set([
  'docker-proxy',
  'rootlessport',
  'rootlessport-ch',
  'slirp4netns',
  'pasta',
  'pasta.avx2',
]);

/** Whether a process name is a container port forwarder (see PORT_PROXIES). */
export function isPortProxy(name: string | null | undefined): boolean {
  return name ? PORT_PROXIES.has(name) : false;
}

/** "web (nginx:1.27, compose app/web)": one way to name a container everywhere. Hostile text made safe. */
export function containerText(
  c: Pick<ContainerRef, 'name' | 'image' | 'composeProject' | 'composeService'>,
): string {
  const parts = [
    c.image ? safeText(c.image) : '',
    c.composeProject
      ? `compose ${safeText(c.composeProject)}${c.composeService ? `/${safeText(c.composeService)}` : ''}`
      : '',
  ].filter(Boolean);
  return `${safeText(c.name)}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** "nginx.service", "supervisord program web", "runit service web", "its parent node (PID 12)". */
export function supervisorText(s: SupervisorRef): string {
  const name = safeText(s.name);
  switch (s.kind) {
    case 'systemd':
      return s.scope === 'user' ? `${name} (user service)` : name;
    case 'supervisord':
      return `supervisord program ${name}`;
    case 'runit':
      return `runit service ${name}`;
    case 'launchd':
      return `launchd job ${name}`;
    case 'windows-service':
      return `Windows service ${name}`;
    default:
      return `its parent ${name}`;
  }
}

/**
 * A source note that is a state, not a failure (containers not named because the engine's socket
 * refused us): shown once, quietly, never as an error banner, and not "incomplete data".
 */
export function isQuietNote(e: Pick<SourceError, 'source' | 'kind'>): boolean {
  return e.source === 'containers';
}

/** Kill outcomes after which the target is gone (or was already): the story ends without an error. */
const KILL_DONE: ReadonlySet<KillOutcome> = new Set(['exited', 'port-released', 'elevated-ok', 'not-found']);

/** Whether a single-process kill is finished: its target no longer runs. */
export function killFinished(outcome: KillOutcome): boolean {
  return KILL_DONE.has(outcome);
}

/** Whether freeing a port succeeded: only when no listening socket holds it any more. */
export function portFreed(outcome: FreePortOutcome): boolean {
  return outcome === 'port-free' || outcome === 'not-held';
}

// C0 controls, DEL, C1 controls, line/paragraph separators, the bidi marks (LRM, RLM, ALM) and the
// bidi embedding/override/isolate controls ("Trojan Source"). The ONE list: every sanitiser uses it.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]/g;
// Zero-width characters (ZWSP, ZWNJ, ZWJ, BOM): harmless to a terminal, but in a short label they
// only serve to make one name look like another.
const ZERO_WIDTH = /[\u200b-\u200d\ufeff]/g;

/** Is this one character in the shared unsafe list (what safeText replaces)? */
export function isUnsafeChar(ch: string): boolean {
  UNSAFE.lastIndex = 0;
  return UNSAFE.test(ch);
}

/**
 * Terminal-safe text: every control, separator or bidi-override character becomes '?', as `ls -q`
 * does. Process names and command lines are hostile input: nothing from a row reaches a terminal,
 * a tray menu or a notification without this (or labelText).
 */
export function safeText(text: string): string {
  return text.replace(UNSAFE, '?');
}

/**
 * A short label (tray menu, notification): the same unsafe characters as safeText, plus zero-width
 * ones, removed rather than shown as '?', and the ends trimmed.
 */
export function labelText(text: string): string {
  return text.replace(UNSAFE, '').replace(ZERO_WIDTH, '').trim();
}

/** TCP states in which a connection can be closed (SOCK_DESTROY): it has a peer and is not a timer. */
const CLOSABLE: ReadonlySet<SocketState> = new Set<SocketState>([
  'ESTABLISHED',
  'SYN_SENT',
  'SYN_RECV',
  'FIN_WAIT1',
  'FIN_WAIT2',
  'CLOSE_WAIT',
  'LAST_ACK',
  'CLOSING',
]);

/**
 * The connection a "Close connection" acts on, taken from the row the user saw: a TCP socket with
 * a peer, in a connected state, whose key carries the kernel's socket cookie (netlink rows). null
 * when the row cannot be closed (listener, UDP, TIME_WAIT, a source without cookies).
 */
export function closableConnection(row: SocketRow): ConnectionRef | null {
  const cookie = /^tcp:c(\d{1,20})$/.exec(row.key)?.[1];
  if (row.protocol !== 'tcp' || !cookie || !CLOSABLE.has(row.state)) return null;
  if (row.remoteAddress === null || row.remotePort === null || row.remotePort === 0) return null;
  return {
    protocol: 'tcp',
    family: row.family,
    localAddress: row.localAddress,
    localPort: row.localPort,
    remoteAddress: row.remoteAddress,
    remotePort: row.remotePort,
    cookie,
  };
}

/** Whether a close ended with the connection gone (the CLI's exit 0, the UI's success toast). */
export function connectionClosed(outcome: CloseOutcome): boolean {
  return outcome === 'closed';
}

/**
 * The container behind a row: the one that publishes its port (docker-proxy, rootlessport … or a
 * published port with no host socket), else the one its holder runs in; null when none.
 */
export function containerOf(row: SocketRow): ContainerRef | null {
  return row.container ?? row.process?.container ?? null;
}

/** How every front door names a container: `container web (nginx:1.27)`, text made safe. */
export function containerLabel(c: ContainerRef): string {
  const image = c.image ? ` (${labelText(c.image)})` : '';
  return `container ${labelText(c.name)}${image}`;
}
