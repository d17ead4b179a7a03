import type { ReactNode } from 'react';
import {
  endpoint,
  formatDateTime,
  formatStarted,
  ownerText,
  protocolLabel,
  stateLabel,
} from '../../../shared/format';
import { localAddressText, type SortColumn, type ViewName, type ViewRow } from '../../../shared/view';

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
   * Every clip is a paint-property node Chromium re-layerizes on each frame, ~50 rows × 10 cells.
   */
  fits?: boolean;
  /** Only in the All sockets view. */
  allOnly?: boolean;
  cell(vr: ViewRow, now: number): ReactNode;
  /** Tooltip (plain text) for cells that may be cut off. */
  title?(vr: ViewRow): string | undefined;
}

const ownerName = (vr: ViewRow) => vr.row.process?.name ?? null;

export const COLUMNS: Column[] = [
  { id: 'protocol', label: 'Proto', width: '58px', fits: true, cell: (vr) => protocolLabel(vr.row) },
  {
    id: 'local',
    label: 'Local address',
    width: 'minmax(110px, 1.1fr)',
    cell: (vr) => <span className="ps-mono">{localAddressText(vr)}</span>,
    title: (vr) => localAddressText(vr),
  },
  { id: 'port', label: 'Port', width: '64px', numeric: true, fits: true, cell: (vr) => vr.row.localPort },
  {
    id: 'remote',
    label: 'Remote',
    width: 'minmax(140px, 1.2fr)',
    allOnly: true,
    cell: (vr) =>
      vr.row.remoteAddress === null ? (
        <span className="ps-faint">—</span>
      ) : (
        <span className="ps-mono">{endpoint(vr.row.remoteAddress, vr.row.remotePort)}</span>
      ),
    title: (vr) =>
      vr.row.remoteAddress === null ? undefined : endpoint(vr.row.remoteAddress, vr.row.remotePort),
  },
  {
    id: 'service',
    label: 'Service',
    width: 'minmax(64px, 0.6fr)',
    cell: (vr) => vr.row.service ?? <span className="ps-faint">—</span>,
  },
  {
    id: 'process',
    label: 'Process',
    width: 'minmax(140px, 1.4fr)',
    cell: (vr) => {
      const name = ownerName(vr);
      if (name === null) return <span className="ps-hidden-owner">{ownerText(vr.row)}</span>;
      return <span className="ps-proc-name">{name}</span>;
    },
    title: (vr) => vr.row.process?.command || vr.row.process?.name || ownerText(vr.row),
  },
  {
    id: 'pid',
    label: 'PID',
    width: '70px',
    numeric: true,
    fits: true,
    cell: (vr) => vr.row.pid ?? <span className="ps-faint">—</span>,
  },
  {
    id: 'user',
    label: 'User',
    width: 'minmax(64px, 0.6fr)',
    cell: (vr) => vr.row.process?.user || <span className="ps-faint">—</span>,
  },
  {
    id: 'state',
    label: 'State',
    width: '124px',
    fits: true,
    cell: (vr) => <span className={`ps-state ps-state-${vr.row.state}`}>{stateLabel(vr.row.state)}</span>,
  },
  {
    id: 'started',
    label: 'Started',
    width: '96px',
    cell: (vr, now) => <span className="ps-muted">{formatStarted(vr.row.process?.startTime, now)}</span>,
    title: (vr) => (vr.row.process?.startTime ? formatDateTime(vr.row.process.startTime) : undefined),
  },
];

/** Width of the trailing actions column (Open, Copy, Kill). */
export const ACTIONS_WIDTH = '92px';

/** The columns of a view, in order. */
export function columnsFor(view: ViewName): Column[] {
  return view === 'all' ? COLUMNS : COLUMNS.filter((c) => !c.allOnly);
}

/** The CSS grid template of a view's rows (shared by header and body so they line up). */
export function gridTemplate(cols: Column[]): string {
  return `${cols.map((c) => c.width).join(' ')} ${ACTIONS_WIDTH}`;
}
