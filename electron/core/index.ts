/** The engine's public surface: plain Node, never 'electron'. */

export {
  type ApiClient,
  BROWSER_HOST,
  createApi,
  type HostFeatures,
  type PortscopeCore,
} from './api/api';
export { type CollectResult, createEngine, type Engine, type EngineOptions } from './engine/engine';
export { lookupService } from './engine/services';
export {
  Monitor,
  type MonitorEvent,
  type MonitorOptions,
  type MonitorView,
  type ViewOptions,
} from './monitor/monitor';
export {
  canElevate,
  createPortscope,
  type PluginContext,
  type Portscope,
  type PortscopeOptions,
  type PortscopePlugin,
} from './portscope';
export { ProcessCache, type ProcessReader } from './processes/process-cache';
export { defaultProcessReader, defaultSources } from './sources/default-sources';
export { rowKey } from './sources/merge';
export type { CollectOptions, RawSocket, Source } from './sources/types';
export { SourceFailure } from './sources/types';
