import type { ContainerActionResult, Protocol, SocketRow } from '../../../shared/model';
import { containerText, holdsPort } from '../../../shared/socket-rules';
import { type ContainerEngines, invalidateContainerLists } from './container-engines';
import type { EngineContainer } from './container-list';
import { engineRequest } from './engine-http';

/** Stop or restart the container the user saw, optionally for the port they saw it publish. */
export interface ContainerActionRequest {
  /** Short (12) or full (64) hex id, as the row showed it. */
  id: string;
  action: 'stop' | 'restart';
  port?: number | null;
  protocol?: Protocol | null;
}

export interface ContainerActionDeps {
  engines: ContainerEngines;
  /** A fresh read of the listening sockets, to tell whether the port is free after a stop. */
  collect?: () => Promise<SocketRow[]>;
  request?: typeof engineRequest;
  /** Seconds the engine gives the container to stop before it kills it (Docker's default 10). */
  stopTimeoutS?: number;
}

const ID = /^[0-9a-f]{12,64}$/;

/**
 * Stop or restart a container through its engine's API. The container is looked up again right
 * before (same id, still running, still publishing the port the user saw), then
 * POST /containers/{id}/stop|restart. A stop for a port reports whether the kernel says the port
 * is free afterwards.
 */
export async function runContainerAction(
  req: ContainerActionRequest,
  deps: ContainerActionDeps,
): Promise<ContainerActionResult> {
  if (!ID.test(req.id)) return res('not-found', null, 'That is not a container id; nothing was done.');
  const state = await deps.engines.list(true, true);
  if (!state.socket)
    return res(
      state.note ? 'permission-denied' : 'not-found',
      null,
      state.note ? state.note.message : 'No container engine answers any more; nothing was done.',
    );
  const found = state.containers.find((c) => c.fullId.startsWith(req.id));
  if (!found) return res('not-found', null, `Container ${req.id} is no longer running; nothing was done.`);
  const name = containerText(found.ref);
  if (req.port != null && !publishes(found, req.port, req.protocol ?? null))
    return res(
      'changed',
      found.ref,
      `Container ${name} no longer publishes port ${req.port}; nothing was done.`,
    );

  const t = Math.max(0, Math.min(120, Math.trunc(deps.stopTimeoutS ?? 10)));
  const path = `/containers/${found.fullId}/${req.action}?t=${t}`;
  let answer: { status: number; body: string };
  try {
    answer = await (deps.request ?? engineRequest)(state.socket.path, 'POST', path, (t + 20) * 1000);
  } catch (e) {
    return res('failed', found.ref, `The engine did not ${req.action} ${name}: ${(e as Error).message}.`);
  }
  invalidateContainerLists();
  if (answer.status === 404)
    return res('not-found', found.ref, `Container ${name} is gone; nothing was done.`);
  if (answer.status >= 300 && answer.status !== 304)
    return res(
      'failed',
      found.ref,
      `The engine refused to ${req.action} ${name}: ${engineMessage(answer.body)}.`,
    );
  if (req.action === 'restart') return res('restarted', found.ref, `Restarted container ${name}.`);
  if (req.port == null || !deps.collect) return res('stopped', found.ref, `Stopped container ${name}.`);
  const rows = await deps.collect();
  const held = rows.some((r) => holdsPort(r, req.port as number, req.protocol ?? null));
  return {
    ...res(
      'stopped',
      found.ref,
      `Stopped container ${name}; port ${req.port} is ${held ? 'still held' : 'free'}.`,
    ),
    portFree: !held,
  };
}

function publishes(c: EngineContainer, port: number, protocol: Protocol | null): boolean {
  return c.ports.some((p) => p.hostPort === port && (protocol === null || p.protocol === protocol));
}

function engineMessage(body: string): string {
  try {
    const m = (JSON.parse(body) as { message?: unknown }).message;
    if (typeof m === 'string') return m.slice(0, 200);
  } catch {
    // not JSON: the raw text below
  }
  return body.slice(0, 200) || 'no reason given';
}

function res(
  outcome: ContainerActionResult['outcome'],
  container: ContainerActionResult['container'],
  message: string,
): ContainerActionResult {
  return { outcome, container, message, portFree: null };
}
