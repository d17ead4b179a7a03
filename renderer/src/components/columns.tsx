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
import {
  localAddressText,
  type SortColumn,
  trafficRate,
  type ViewName,
  type ViewRow,
} from '../../../shared/view';

/**
 * The table's columns. Cells render text only: process names and command lines are hostile input
 * and go through React's text escaping, never markup.
 */

export interface Column {
  id: SortColumn;
  label: string;
  /** CSS grid track for this column. */
  width: string;
  numeric?: boolean;
  /**
   * Content never outgrows the column (short fixed labels, numbers): its cell needs no overflow clip.
   * Every clip is a paint-property node Chromium re-layerizes on each frame, ~40 rows × 10 cells.
   */
  fits?: boolean;
  /** Only in the All sockets view. */
  allOnly?: boolean;
  /** Monospace text (addresses): narrower, even glyphs. */
  mono?: boolean;
  /**
   * The cell's text. A cell is one element with one text node (no inner spans): ~40 rows × 10 cells
   * are re-rendered, laid out and painted on every filter keystroke.
   */
  text(vr: ViewRow, now: number): string | number;
  /** Class of the cell for this row (monospace, a faint placeholder, a state pill…). */
  cls?(vr: ViewRow): string | undefined;
  /** Tooltip (plain text) for cells that may be cut off. */
  title?(vr: ViewRow): string | undefined;
}

/** Every holder on its own line (the Process cell's tooltip): PID, name and command, parent first. */
function holdersTitle(vr: ViewRow): string {
  const { owners } = vr.row;
  if (owners.length === 0) return holdersLabel(vr.row);
  if (owners.length === 1) return owners[0]?.process?.command || holdersLabel(vr.row);
  return owners.map((o) => `${o.pid}  ${o.process?.command || o.process?.name || '?'}`).join('\n');
}

/** Placeholder for an empty cell (drawn faint). */
const NONE = '—';
const faintIf = (empty: boolean) => (empty ? 'ps-faint' : undefined);

export const COLUMNS: Column[] = [
  { id: 'protocol', label: 'Proto', width: '58px', fits: true, text: (vr) => protocolLabel(vr.row) },
  {
    id: 'local',
    label: 'Local address',
    width: 'minmax(110px, 1.1fr)',
    mono: true,
    text: (vr) => localAddressText(vr),
    cls: () => 'ps-mono',
    title: (vr) => localAddressText(vr),
  },
  { id: 'port', label: 'Port', width: '64px', numeric: true, fits: true, text: (vr) => vr.row.localPort },
  {
    id: 'remote',
    label: 'Remote',
    width: 'minmax(140px, 1.2fr)',
    allOnly: true,
    mono: true,
    text: (vr) => (vr.row.remoteAddress === null ? NONE : endpoint(vr.row.remoteAddress, vr.row.remotePort)),
    cls: (vr) => (vr.row.remoteAddress === null ? 'ps-faint' : 'ps-mono'),
    title: (vr) =>
      vr.row.remoteAddress === null ? undefined : endpoint(vr.row.remoteAddress, vr.row.remotePort),
  },
  {
    id: 'service',
    label: 'Service',
    width: 'minmax(64px, 0.6fr)',
    text: (vr) => vr.row.service ?? NONE,
    cls: (vr) => faintIf(vr.row.service === null),
  },
  {
    id: 'process',
    label: 'Process',
    width: 'minmax(140px, 1.4fr)',
    // Every holder summarised ("nginx +4 workers"); the shared wording when none is visible.
    text: (vr) => holdersLabel(vr.row),
    cls: (vr) => (vr.row.owners.length === 0 ? 'ps-hidden-owner' : 'ps-proc-name'),
    title: holdersTitle,
  },
  {
    id: 'pid',
    label: 'PID',
    width: '70px',
    numeric: true,
    fits: true,
    text: (vr) => vr.row.pid ?? NONE,
    cls: (vr) => faintIf(vr.row.pid === null),
  },
  {
    id: 'user',
    label: 'User',
    width: 'minmax(64px, 0.6fr)',
    text: (vr) => vr.row.process?.user || NONE,
    cls: (vr) => faintIf(!vr.row.process?.user),
  },
  {
    id: 'state',
    label: 'State',
    width: '124px',
    fits: true,
    text: (vr) => stateLabel(vr.row.state),
    // The cell itself is the pill (it hugs its text: see .ps-state in table.css).
    cls: (vr) => `ps-state ps-state-${vr.row.state}`,
  },
  {
    id: 'started',
    label: 'Started',
    width: '96px',
    text: (vr, now) => formatStarted(vr.row.process?.startTime, now),
    cls: () => 'ps-muted',
    title: (vr) => (vr.row.process?.startTime ? formatDateTime(vr.row.process.startTime) : undefined),
  },
  // Traffic (netlink tcp_info, TCP connections): only in All sockets, where connections are.
  {
    id: 'sent',
    label: 'Sent',
    width: '96px',
    numeric: true,
    fits: true,
    allOnly: true,
    text: (vr) => formatBytes(vr.row.traffic?.bytesSent ?? null),
    cls: (vr) => faintIf(!vr.row.traffic),
  },
  {
    id: 'received',
    label: 'Received',
    width: '96px',
    numeric: true,
    fits: true,
    allOnly: true,
    text: (vr) => formatBytes(vr.row.traffic?.bytesReceived ?? null),
    cls: (vr) => faintIf(!vr.row.traffic),
  },
  {
    id: 'rate',
    label: 'Rate',
    width: '108px',
    numeric: true,
    fits: true,
    allOnly: true,
    text: (vr) => formatRate(trafficRate(vr.row)),
    cls: (vr) => faintIf(trafficRate(vr.row) === null),
    title: (vr) =>
      vr.row.traffic
        ? `sent ${formatRate(vr.row.traffic.sendRate)}, received ${formatRate(vr.row.traffic.receiveRate)} over the last poll`
        : undefined,
  },
];

/** Widest glyph of the table's fonts, in px: 13 px proportional text ('W', 'm'), 12 px monospace. */
const WIDEST_PX = 13;
const MONO_PX = 8;
/** Horizontal padding of a cell. */
const CELL_PAD = 16;

/**
 * Characters a column shows without any chance of overflowing, at its narrowest (the minimum of its
 * track) and with every glyph as wide as the widest: such a cell needs no clip.
 */
export function safeChars(c: Column): number {
  let n = safeCharsOf.get(c);
  if (n === undefined) {
    const min = /^(?:minmax\()?(\d+)px/.exec(c.width);
    n = c.fits
      ? Number.POSITIVE_INFINITY
      : min
        ? Math.floor((Number(min[1]) - CELL_PAD) / (c.mono ? MONO_PX : WIDEST_PX))
        : 0;
    safeCharsOf.set(c, n);
  }
  return n;
}
/** Per column, worked out once (asked for every cell of every rendered row). */
const safeCharsOf = new WeakMap<Column, number>();

/**
 * Whether this cell's text can overflow its column (then it clips with an ellipsis). Most cells
 * are short ("node", "127.0.0.1"); only the long ones pay for a clip.
 */
export function mayOverflow(c: Column, text: string | number): boolean {
  return String(text).length > safeChars(c);
}

/** Width of the trailing actions column (Open, Copy, Kill). */
export const ACTIONS_WIDTH = '92px';

/** The columns of a view, in order. */
/** The Process column as root sees it: a hidden holder is in another PID namespace, not "another user's". */
const PRIVILEGED_PROCESS: Partial<Column> = {
  text: (vr) => holdersLabel(vr.row, true),
  title: (vr) => (vr.row.owners.length === 0 ? holdersLabel(vr.row, true) : holdersTitle(vr)),
};
const PRIVILEGED_COLUMNS = COLUMNS.map((c) => (c.id === 'process' ? { ...c, ...PRIVILEGED_PROCESS } : c));

/** The columns of a view; `privileged`: the engine runs as root (see holderText). */
export function columnsFor(view: ViewName, privileged = false): Column[] {
  const cols = privileged ? PRIVILEGED_COLUMNS : COLUMNS;
  return view === 'all' ? cols : cols.filter((c) => !c.allOnly);
}

/** The CSS grid template of a view's rows (shared by header and body so they line up). */
export function gridTemplate(cols: Column[]): string {
  return `${cols.map((c) => c.width).join(' ')} ${ACTIONS_WIDTH}`;
}
