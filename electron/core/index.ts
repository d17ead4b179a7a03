/** The engine's public surface: plain Node, never 'electron'. */

export { type CollectResult, createEngine, type Engine, type EngineOptions } from './engine/engine';
export { lookupService } from './engine/services';
export { Monitor, type MonitorEvent, type MonitorOptions } from './monitor/monitor';
export { ProcessCache, type ProcessReader } from './processes/process-cache';
export { defaultProcessReader, defaultSources } from './sources/default-sources';
export { rowKey } from './sources/merge';
export type { CollectOptions, RawSocket, Source } from './sources/types';
export { SourceFailure } from './sources/types';
