import {
  endpoint,
  formatBytes,
  formatDateTime,
  formatRate,
  formatStarted,
  holdersLabel,
  protocolLabel,
  stateLabel,
} from '../../../shared/format';
import { processCellText } from '../../../shared/process-text';
import {
  localAddressText,
  type SortColumn,
  trafficRate,
  type ViewName,
  type ViewRow,
} from '../../../shared/view';
import { middleEllipsis } from './middle-ellipsis';

/**
 * The table's columns: ONE registry, one entry per column. To add a column, add an entry here
 * (header, widths, priority, sort key, which views show it, its text); the layout, the chooser,
 * settings and the narrow-window rules pick it up. Cells render text only: process names and command
 * lines are hostile input and go through React's text escaping, never markup.
 */

export interface Column {
  /** Stable id (kept in settings: never rename one). */
  id: string;
  label: string;
  /** The store's sort key; absent = the header does not sort. */
  sort?: SortColumn;
  /** Narrowest useful width in px. */
  min: number;
  /** Share of the spare width this column takes (0 = fixed at `min`). */
  grow: number;
  /**
   * How much the column matters when the window is narrow: the lowest goes first (port ~100,
   * started ~20). A column the user resized keeps its width but may still go when nothing fits.
   */
  priority: number;
  /** Shown until the user chooses otherwise (default true). */
  defaultVisible?: boolean;
  /** Only in these views (default: every view). */
  views?: ViewName[];
  numeric?: boolean;
  /**
   * Content never outgrows the column (short fixed labels, numbers): its cell needs no overflow clip.
   * Every clip is a paint-property node Chromium re-layerizes on each frame, ~40 rows × 10 cells.
   */
  fits?: boolean;
  /** Monospace text (addresses, commands): narrower, even glyphs. */
  mono?: boolean;
  /**
   * The cell's text for a column `px` wide. A cell is one element with one text node (no inner
   * spans): ~40 rows × 10 cells are re-rendered, laid out and painted on every filter keystroke.
   */
  text(vr: ViewRow, now: number, px: number, privileged: boolean): string | number;
  /** Class of the cell for this row (monospace, a faint placeholder, a state pill…). */
  cls?(vr: ViewRow): string | undefined;
  /** Tooltip (plain text) for cells that may be cut off; the cell's text is used when absent. */
  title?(vr: ViewRow, privileged: boolean): string | undefined;
}

/** Every holder on its own line (the Process cell's tooltip): PID, name and command, parent first. */
function holdersTitle(vr: ViewRow, privileged: boolean): string {
  const { owners } = vr.row;
  const head = processCellText(vr.row, privileged);
  if (owners.length === 0) return holdersLabel(vr.row, privileged);
  if (owners.length === 1) {
    const p = owners[0]?.process;
    const cwd = p?.cwd ? `\n${p.cwd}` : '';
    return `${head}\n${p?.command || p?.name || ''}${cwd}`;
  }
  return `${head}\n${owners.map((o) => `${o.pid}  ${o.process?.command || o.process?.name || '?'}`).join('\n')}`;
}

/** Placeholder for an empty cell (drawn faint). */
const NONE = '—';
const faintIf = (empty: boolean) => (empty ? 'ps-faint' : undefined);
/** Average advance of the 12 px monospace font: how many characters of a command fit a column. */
export const MONO_ADVANCE_PX = 7.3;
/** Horizontal padding of a cell. */
export const CELL_PAD = 16;

const commandOf = (vr: ViewRow) => vr.row.process?.command || vr.row.process?.path || '';

/** A byte-counter column (Sent, Received): All sockets only, where connections are. */
function bytesColumn(id: 'sent' | 'received', label: string, field: 'bytesSent' | 'bytesReceived'): Column {
  return {
    id,
    label,
    sort: id,
    min: 96,
    grow: 0,
    priority: 30,
    views: ['all'],
    numeric: true,
    fits: true,
    text: (vr) => formatBytes(vr.row.traffic?.[field] ?? null),
    cls: (vr) => faintIf(!vr.row.traffic),
  };
}

export const COLUMNS: Column[] = [
  {
    id: 'protocol',
    label: 'Proto',
    sort: 'protocol',
    min: 58,
    grow: 0,
    // Above Command and Reach: 58 px that keep tcp and udp on the same port (and IPv4 from IPv6)
    // apart when a narrow window drops columns; the State column's BOUND is both a UDP socket and
    // a TCP one bound but not listening.
    priority: 72,
    fits: true,
    text: (vr) => protocolLabel(vr.row),
  },
  {
    id: 'local',
    label: 'Local address',
    sort: 'local',
    min: 110,
    grow: 1,
    priority: 90,
    mono: true,
    text: (vr) => localAddressText(vr),
    cls: () => 'ps-mono',
  },
  {
    id: 'port',
    label: 'Port',
    sort: 'port',
    min: 64,
    grow: 0,
    priority: 100,
    numeric: true,
    fits: true,
    text: (vr) => vr.row.localPort,
  },
  {
    id: 'reach',
    label: 'Reach',
    min: 84,
    grow: 0,
    priority: 60,
    fits: true,
    // Loopback-only listeners are safe from the network; "network" (wildcards included) is the one to notice.
    text: (vr) => vr.row.exposure ?? NONE,
    cls: (vr) => (vr.row.exposure ? `ps-reach ps-reach-${vr.row.exposure}` : 'ps-faint'),
    title: (vr) =>
      vr.row.exposure === 'network'
        ? 'Reachable from other machines (bound beyond loopback)'
        : vr.row.exposure === 'loopback'
          ? 'Reachable from this machine only (loopback)'
          : undefined,
  },
  {
    id: 'remote',
    label: 'Remote',
    sort: 'remote',
    min: 140,
    grow: 1.2,
    priority: 75,
    views: ['all'],
    mono: true,
    // A resolved name reads better than an address; the tooltip keeps the address.
    text: (vr) =>
      vr.row.remoteAddress === null
        ? NONE
        : endpoint(vr.row.remoteName || vr.row.remoteAddress, vr.row.remotePort),
    cls: (vr) => (vr.row.remoteAddress === null ? 'ps-faint' : 'ps-mono'),
    title: (vr) => {
      if (vr.row.remoteAddress === null) return undefined;
      const addr = endpoint(vr.row.remoteAddress, vr.row.remotePort);
      return vr.row.remoteName ? `${vr.row.remoteName} (${addr})` : addr;
    },
  },
  {
    id: 'service',
    label: 'Service',
    sort: 'service',
    min: 72,
    grow: 0.5,
    priority: 40,
    text: (vr) => vr.row.service ?? NONE,
    // A name from the IANA registry is a guess ("irdmi" on 8000): drawn dimmer than the names people use.
    cls: (vr) =>
      vr.row.service === null ? 'ps-faint' : vr.row.serviceSource === 'iana' ? 'ps-svc-iana' : undefined,
    title: (vr) =>
      vr.row.service === null
        ? undefined
        : vr.row.serviceSource === 'iana'
          ? `${vr.row.service} (IANA registry name)`
          : vr.row.service,
  },
  {
    id: 'process',
    label: 'Process',
    sort: 'process',
    min: 150,
    grow: 1.5,
    priority: 95,
    // The friendly label with the project beside it ("vite · shop-web (main)"); every holder summarised.
    text: (vr, _now, _px, privileged) => processCellText(vr.row, privileged),
    cls: (vr) => (vr.row.owners.length === 0 ? 'ps-hidden-owner' : 'ps-proc-name'),
    title: holdersTitle,
  },
  {
    id: 'command',
    label: 'Command',
    sort: 'command',
    min: 160,
    grow: 3,
    priority: 70,
    mono: true,
    // Middle-ellipsised: the interpreter and the script name at the end both stay readable.
    text: (vr, _now, px) => {
      const cmd = commandOf(vr);
      return cmd ? middleEllipsis(cmd, Math.floor((px - CELL_PAD) / MONO_ADVANCE_PX)) : NONE;
    },
    cls: (vr) => (commandOf(vr) ? 'ps-mono ps-command' : 'ps-faint'),
    title: (vr) => commandOf(vr) || undefined,
  },
  {
    id: 'pid',
    label: 'PID',
    sort: 'pid',
    min: 70,
    grow: 0,
    priority: 80,
    numeric: true,
    fits: true,
    text: (vr) => vr.row.pid ?? NONE,
    cls: (vr) => faintIf(vr.row.pid === null),
  },
  {
    id: 'user',
    label: 'User',
    sort: 'user',
    min: 72,
    grow: 0.4,
    priority: 50,
    text: (vr) => vr.row.process?.user || vr.row.user || NONE,
    cls: (vr) => faintIf(!vr.row.process?.user && !vr.row.user),
  },
  {
    id: 'state',
    label: 'State',
    sort: 'state',
    min: 118,
    grow: 0,
    priority: 85,
    fits: true,
    text: (vr) => stateLabel(vr.row.state),
    // The cell itself is the pill (it hugs its text: see .ps-state in table.css).
    cls: (vr) => `ps-state ps-state-${vr.row.state}`,
  },
  {
    id: 'started',
    label: 'Started',
    sort: 'started',
    min: 96,
    grow: 0,
    priority: 20,
    // Off by default: a date most rows leave half empty; the details panel shows it.
    defaultVisible: false,
    text: (vr, now) => formatStarted(vr.row.process?.startTime, now),
    cls: () => 'ps-muted',
    title: (vr) => (vr.row.process?.startTime ? formatDateTime(vr.row.process.startTime) : undefined),
  },
  // Traffic (netlink tcp_info, TCP connections): only in All sockets, where connections are.
  bytesColumn('sent', 'Sent', 'bytesSent'),
  bytesColumn('received', 'Received', 'bytesReceived'),
  {
    id: 'rate',
    label: 'Rate',
    sort: 'rate',
    min: 108,
    grow: 0,
    priority: 35,
    views: ['all'],
    numeric: true,
    fits: true,
    text: (vr) => formatRate(trafficRate(vr.row)),
    cls: (vr) => faintIf(trafficRate(vr.row) === null),
    title: (vr) =>
      vr.row.traffic
        ? `sent ${formatRate(vr.row.traffic.sendRate)}, received ${formatRate(vr.row.traffic.receiveRate)} over the last poll`
        : undefined,
  },
];

/** The registry entry of an id. */
export function columnById(id: string): Column | undefined {
  return COLUMNS.find((c) => c.id === id);
}

/** Whether a column belongs in a view. */
export function inView(c: Column, view: ViewName): boolean {
  return !c.views || c.views.includes(view);
}
