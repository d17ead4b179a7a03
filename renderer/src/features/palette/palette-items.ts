import type { Scope, SocketRow } from '../../../../shared/model';
import { holderText } from '../../../../shared/socket-rules';
import { parsePort } from '../../../../shared/validate';
import { socketLabel } from '../kill/kill-text';
import { type CommandSpec, type PaletteCommand, parseCommand, suggest } from './commands';
import { portOwners, rowOfPid } from './resolve';

/** What picking a palette entry does. */
export type PaletteAction =
  | { type: 'kill'; row: SocketRow }
  | { type: 'open'; port: number }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'filter'; text: string }
  | { type: 'scope'; scope: Scope }
  /** Put this text in the input (a command that still needs its argument). */
  | { type: 'complete'; text: string };

export interface PaletteItem {
  id: string;
  label: string;
  detail: string;
  /** null: shown for information, cannot be picked. */
  action: PaletteAction | null;
}

export interface PaletteContext {
  /** Every live row the app holds. */
  rows: SocketRow[];
  /** The rows the table shows right now (its filter applied). */
  visible: SocketRow[];
}

export interface PaletteView {
  items: PaletteItem[];
  /** Why the typed line cannot act yet (shown under the input). */
  error: string | null;
}

function killLabel(row: SocketRow): string {
  return `Kill ${row.process?.name || 'process'} (PID ${row.pid})`;
}

function suggestionItem(spec: CommandSpec): PaletteItem {
  let action: PaletteAction = { type: 'complete', text: spec.template };
  if (!spec.takesArg) {
    // A command without an argument runs straight from its suggestion ("pau" + Enter pauses).
    const parsed = parseCommand(spec.name);
    if (parsed.ok && parsed.command.type !== 'free' && parsed.command.type !== 'kill-pid')
      action = parsed.command;
  }
  return { id: `cmd-${spec.name}`, label: spec.usage, detail: spec.description, action };
}

function freeItems(port: number, ctx: PaletteContext): PaletteItem[] {
  const owners = portOwners(ctx.rows, port);
  if (owners.length === 0) {
    return [{ id: 'free-none', label: `Nothing is listening on port ${port}`, detail: '', action: null }];
  }
  return owners.map((row) =>
    row.pid === null || !row.process
      ? {
          id: `free-hidden-${row.key}`,
          // The shared wording (holderText): kernel-held, or a holder this user cannot see.
          label: `Port ${port}: ${holderText(row)}`,
          detail: `${socketLabel(row)}: no visible process to end from here`,
          action: null,
        }
      : {
          id: `free-${row.key}`,
          label: killLabel(row),
          detail: socketLabel(row),
          action: { type: 'kill', row },
        },
  );
}

function killPidItems(pid: number, ctx: PaletteContext): PaletteItem[] {
  const row = rowOfPid(ctx.visible, pid);
  if (row?.process)
    return [
      { id: `pid-${pid}`, label: killLabel(row), detail: socketLabel(row), action: { type: 'kill', row } },
    ];
  const hidden = rowOfPid(ctx.rows, pid);
  const label = hidden
    ? `PID ${pid} is hidden by the table's filter; clear the filter to kill it`
    : `PID ${pid} is not in the table; only processes you can see can be killed`;
  return [{ id: `pid-${pid}-none`, label, detail: '', action: null }];
}

function commandItems(command: PaletteCommand, ctx: PaletteContext): PaletteItem[] {
  switch (command.type) {
    case 'free':
      return freeItems(command.port, ctx);
    case 'kill-pid':
      return killPidItems(command.pid, ctx);
    case 'open':
      return [
        {
          id: 'open',
          label: `Open http://localhost:${command.port}`,
          detail: 'In your browser',
          action: command,
        },
      ];
    case 'pause':
      return [{ id: 'pause', label: 'Pause live updates', detail: '', action: command }];
    case 'resume':
      return [{ id: 'resume', label: 'Resume live updates', detail: '', action: command }];
    case 'filter':
      return [
        {
          id: 'filter',
          label: command.text ? `Filter the table: ${command.text}` : 'Clear the table filter',
          detail: '',
          action: command,
        },
      ];
    case 'scope':
      return [
        {
          id: `scope-${command.scope}`,
          label: command.scope === 'all' ? 'Show every socket' : 'Show listening ports only',
          detail: '',
          action: command,
        },
      ];
  }
}

/**
 * What the palette lists for the typed line: the exact action when the line parses, else the
 * commands it could be the start of. A bare port offers to free or open it.
 */
export function buildPalette(input: string, ctx: PaletteContext): PaletteView {
  const parsed = parseCommand(input);
  if (parsed.ok) return { items: commandItems(parsed.command, ctx), error: null };
  const bare = parsePort(input.trim());
  if (bare !== null) {
    return {
      items: [...freeItems(bare, ctx), ...commandItems({ type: 'open', port: bare }, ctx)],
      error: null,
    };
  }
  if (parsed.spec) {
    const typedArg = input.trim().length > parsed.spec.name.length;
    return { items: [suggestionItem(parsed.spec)], error: typedArg ? parsed.error : null };
  }
  const items = suggest(input).map(suggestionItem);
  return { items, error: items.length === 0 ? parsed.error : null };
}
