import { holdersLabel } from './format';
import type { ProcessInfo, ProjectInfo, SocketRow } from './model';

/**
 * How a process reads in the table, the quick view and the tray: the friendly label a developer
 * uses (`vite`, `python -m http.server`; shared/process-label.ts derives it) with the project beside
 * it ("vite · shop-web (main)"). Pure text: callers render it as text only.
 */

/** "shop-web (main)", "shop-web" outside git; '' when there is no project. */
export function projectText(project: ProjectInfo | null | undefined): string {
  if (!project?.name) return '';
  return project.branch ? `${project.name} (${project.branch})` : project.name;
}

/** The friendly label of a process: its label when the engine derived one, else its name. */
export function friendlyName(p: Pick<ProcessInfo, 'name' | 'label'> | null | undefined): string {
  return p?.label || p?.name || '';
}

/**
 * The Process cell: "vite · shop-web (main)", "nginx +4 workers"; the shared holder wording when no
 * holder is visible (kernel-held, another user's, another PID namespace when privileged).
 */
export function processCellText(
  row: Pick<SocketRow, 'owners' | 'inode' | 'state' | 'user' | 'uid' | 'holder' | 'process'>,
  privileged = false,
): string {
  const first = row.owners[0];
  if (!first) return holdersLabel(row, privileged);
  const summary = holdersLabel(row, privileged);
  const name = first.process?.name ?? '';
  // row.process is the first holder's metadata (the model's rule); owners carry it too.
  const proc = row.process ?? first.process;
  const label = friendlyName(proc);
  // "nginx +4 workers" → "<label> +4 workers": the summary's tail says how many others hold it.
  const tail = name && summary.startsWith(name) ? summary.slice(name.length) : '';
  const head = label ? `${label}${tail}` : summary;
  const project = projectText(proc?.project);
  return project ? `${head} · ${project}` : head;
}
