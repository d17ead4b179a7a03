import type { ProcessIdentity, Protocol, SocketRow } from '../../shared/model';
import { anyRuleMatches, type NoiseRule } from '../../shared/noise-rules';
import { processCellText } from '../../shared/process-text';
import { containerLabel, containerOf, holderText, isListening, labelText } from '../../shared/socket-rules';
import { pidSchema, portSchema } from '../../shared/validate';

/**
 * The tray menu as plain data, built from the current rows: testable without Electron; tray.ts turns
 * it into a Menu. Every action is in this menu because on Linux a tray click often opens the menu
 * instead of firing 'click'. Actions carry only validated integers and identities, never row text.
 */

export type TrayAction =
  | { kind: 'open-port'; port: number }
  | { kind: 'copy-address'; address: string }
  | { kind: 'kill'; target: ProcessIdentity; port: number; protocol: Protocol }
  | { kind: 'free-port' }
  | { kind: 'pause' }
  | { kind: 'resume' }
  | { kind: 'show' }
  | { kind: 'more' }
  | { kind: 'quit' };

/** A MenuItemConstructorOptions-like item (label/type/enabled/submenu) plus the action to run. */
export interface TrayMenuItem {
  label?: string;
  type?: 'normal' | 'separator' | 'submenu';
  enabled?: boolean;
  submenu?: TrayMenuItem[];
  action?: TrayAction;
}

export interface TrayMenuState {
  paused: boolean;
  /** How many ports to list before "More…" (default 12). */
  maxPorts?: number;
  /** The app runs as root/administrator: a hidden holder is then not "another user's" process. */
  privileged?: boolean;
  /** Settings' favourites: their ports come first, marked ★. */
  favourites?: readonly NoiseRule[];
  /** Settings' hide rules: their ports are left out (the menu says how many). */
  hideRules?: readonly NoiseRule[];
}

/** One listening port of one process, after IPv4/IPv6 twins are merged. */
interface PortEntry {
  protocol: Protocol;
  port: number;
  service: string | null;
  addresses: string[];
}

interface ProcessGroup {
  name: string;
  /** Pinned by a favourite (listed first, marked ★). */
  favourite?: boolean;
  identity: ProcessIdentity | null;
  /** The ports of a container (published or held inside it): stopped from the window, never killed here. */
  container?: boolean;
  ports: PortEntry[];
}

export const DEFAULT_MAX_PORTS = 12;
const MAX_LABEL = 48;

/** Listening TCP or bound UDP: the one rule of the table, quick view, notifications and tray. */
export { isListening };

/**
 * A process name as a menu label: control characters removed (hostile input), `&` doubled (Windows
 * menus treat it as a mnemonic marker), long names cut.
 */
export function menuText(text: string): string {
  // The shared list (socket-rules labelText): controls, separators, bidi and zero-width marks.
  const clean = labelText(text);
  const cut = clean.length > MAX_LABEL ? `${clean.slice(0, MAX_LABEL - 1)}…` : clean;
  return cut.replace(/&/g, '&&');
}

/** What "Copy address" puts on the clipboard: a wildcard listener is reached at localhost. */
export function copyableAddress(address: string, port: number): string {
  if (address === '0.0.0.0' || address === '*' || address === '::' || address === '')
    return `localhost:${port}`;
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function identityOf(row: SocketRow): ProcessIdentity | null {
  if (row.pid === null || !row.process?.startId) return null;
  if (!pidSchema.safeParse(row.pid).success) return null;
  return { pid: row.pid, startId: row.process.startId };
}

/** Group listening rows by owning process (PID + start identity), ports merged and sorted. */
export function groupListeners(
  rows: readonly SocketRow[],
  state: { privileged?: boolean } = {},
): ProcessGroup[] {
  const groups = new Map<string, ProcessGroup>();
  for (const row of rows) {
    if (!isListening(row) || !portSchema.safeParse(row.localPort).success) continue;
    // A container's ports sit under the container's name, whichever process holds them.
    const container = containerOf(row);
    const identity = container ? null : identityOf(row);
    const key = container
      ? `ctr:${container.id}`
      : identity
        ? `${identity.pid}|${identity.startId}`
        : row.pid === null
          ? 'unknown'
          : `pid:${row.pid}`;
    let group = groups.get(key);
    if (!group && container) {
      group = { name: containerLabel(container), identity: null, ports: [], container: true };
      groups.set(key, group);
    }
    if (!group) {
      // The friendly label and project ("vite · shop-web (main)", "nginx +4 workers"); no visible
      // holder in the one shared wording.
      const name = row.owners.length > 0 ? processCellText(row) : holderText(row, state.privileged);
      group = { name, identity, ports: [] };
      groups.set(key, group);
    }
    const existing = group.ports.find((p) => p.protocol === row.protocol && p.port === row.localPort);
    if (existing) {
      if (!existing.addresses.includes(row.localAddress)) existing.addresses.push(row.localAddress);
    } else {
      group.ports.push({
        protocol: row.protocol,
        port: row.localPort,
        service: row.service,
        addresses: [row.localAddress],
      });
    }
  }
  const list = [...groups.values()];
  for (const g of list) g.ports.sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  // Lowest port first: the ports people type (3000, 5432, 8080) come before ephemeral ones.
  return list.sort(
    (a, b) => (a.ports[0]?.port ?? 0) - (b.ports[0]?.port ?? 0) || a.name.localeCompare(b.name),
  );
}

/** Number of distinct listening ports (protocol + port), for the tooltip. */
export function countListeningPorts(rows: readonly SocketRow[]): number {
  const seen = new Set<string>();
  for (const r of rows) if (isListening(r)) seen.add(`${r.protocol}:${r.localPort}`);
  return seen.size;
}

/** The tray tooltip: "N ports listening", plus the paused state. */
export function trayTooltip(rows: readonly SocketRow[], state: { paused: boolean }): string {
  const n = countListeningPorts(rows);
  const text = `${n} ${n === 1 ? 'port' : 'ports'} listening`;
  return state.paused ? `${text} (updates paused)` : text;
}

function portItem(group: ProcessGroup, entry: PortEntry): TrayMenuItem {
  const service = entry.service ? ` · ${menuText(entry.service)}` : '';
  const isTcp = entry.protocol === 'tcp';
  const address = copyableAddress(entry.addresses[0] ?? '', entry.port);
  const kill: TrayMenuItem = group.container
    ? { label: 'Stop container… (in the window)', action: { kind: 'show' } }
    : group.identity
      ? {
          label: 'Kill…',
          action: { kind: 'kill', target: group.identity, port: entry.port, protocol: entry.protocol },
        }
      : { label: 'Kill… (owner not visible)', enabled: false };
  return {
    label: `${entry.port}/${entry.protocol}${service}`,
    type: 'submenu',
    submenu: [
      isTcp
        ? { label: 'Open in browser', action: { kind: 'open-port', port: entry.port } }
        : { label: 'Open in browser (TCP only)', enabled: false },
      { label: 'Copy address', action: { kind: 'copy-address', address } },
      kill,
    ],
  };
}

/** Build the whole tray menu: listeners by process (first N ports, then "More…"), then the commands. */
export function buildTrayMenu(rows: readonly SocketRow[], state: TrayMenuState): TrayMenuItem[] {
  const max = Math.max(1, state.maxPorts ?? DEFAULT_MAX_PORTS);
  const { pinned, rest, hidden } = sortOutNoise(rows, state);
  const groups = [
    ...groupListeners(pinned, state).map((g) => ({ ...g, favourite: true })),
    ...groupListeners(rest, state),
  ];
  const items: TrayMenuItem[] = [];
  const total = groups.reduce((n, g) => n + g.ports.length, 0);
  let shown = 0;
  for (const group of groups) {
    if (shown >= max) break;
    const pid = group.identity ? ` (PID ${group.identity.pid})` : '';
    const star = group.favourite ? '★ ' : '';
    items.push({ label: `${star}${menuText(group.name)}${pid}`, enabled: false });
    for (const entry of group.ports) {
      if (shown >= max) break;
      items.push(portItem(group, entry));
      shown += 1;
    }
  }
  if (total === 0) items.push({ label: 'No ports listening', enabled: false });
  if (total > shown) items.push({ label: `More… (${total - shown} more)`, action: { kind: 'more' } });
  if (hidden > 0) {
    items.push({
      label: `${hidden} hidden by your rules: Show Portscope to see all`,
      action: { kind: 'show' },
    });
  }
  items.push(
    { type: 'separator' },
    { label: 'Free a port…', action: { kind: 'free-port' } },
    state.paused
      ? { label: 'Resume updates', action: { kind: 'resume' } }
      : { label: 'Pause updates', action: { kind: 'pause' } },
    { label: 'Show Portscope', action: { kind: 'show' } },
    { type: 'separator' },
    { label: 'Quit Portscope', action: { kind: 'quit' } },
  );
  return items;
}

/** Favourites' listeners, the others, and how many listeners hide rules leave out (favourites never hidden). */
function sortOutNoise(
  rows: readonly SocketRow[],
  state: TrayMenuState,
): { pinned: SocketRow[]; rest: SocketRow[]; hidden: number } {
  const favourites = state.favourites ?? [];
  const hideRules = state.hideRules ?? [];
  const pinned: SocketRow[] = [];
  const rest: SocketRow[] = [];
  const hiddenPorts = new Set<string>();
  for (const row of rows) {
    if (favourites.length > 0 && anyRuleMatches(row, favourites)) pinned.push(row);
    else if (hideRules.length > 0 && anyRuleMatches(row, hideRules)) {
      if (isListening(row)) hiddenPorts.add(`${row.protocol}:${row.localPort}`);
    } else rest.push(row);
  }
  return { pinned, rest, hidden: hiddenPorts.size };
}
