import type {
  ContainerActionResult,
  Protocol,
  ServiceStopResult,
  SocketRow,
  SupervisorRef,
} from '../../../shared/model';
import { createEngine, type Engine } from '../engine/engine';
import { defaultElevationRunner } from '../kill/elevation';
import type { ElevationRunner } from '../kill/types';
import { stopService } from '../supervisors/service-stop';
import { runContainerAction } from './container-actions';
import { ContainerEngines } from './container-engines';

/** The actions on what is behind a port: Stop / Restart container, Stop service. */
export interface BehindActions {
  container(req: {
    id: string;
    action: 'stop' | 'restart';
    port?: number | null;
    protocol?: Protocol | null;
  }): Promise<ContainerActionResult>;
  stopService(req: {
    port: number;
    protocol: Protocol | null;
    supervisor: SupervisorRef;
    elevate: boolean;
  }): Promise<ServiceStopResult>;
}

export interface BehindActionsOptions {
  /** A fresh read of the listening sockets (default: a private engine, made on first use). */
  collect?: () => Promise<SocketRow[]>;
  engines?: ContainerEngines;
  runner?: ElevationRunner;
}

/** Build the actions; nothing is read until one runs. */
export function createBehindActions(opts: BehindActionsOptions = {}): BehindActions {
  let engine: Engine | undefined;
  const collect =
    opts.collect ??
    (async () => {
      engine ??= createEngine();
      return (await engine.collect('listening')).rows;
    });
  let engines = opts.engines;
  return {
    container: (req) => {
      engines ??= new ContainerEngines();
      return runContainerAction(req, { engines, collect });
    },
    stopService: (req) =>
      stopService(req, { collect, runner: opts.runner ?? defaultElevationRunner(process.platform) }),
  };
}
