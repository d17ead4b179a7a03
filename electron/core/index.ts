/** The engine's public surface: plain Node, never 'electron'. */
export { defaultProcessReader, defaultSources } from './default-sources';
export { type CollectResult, createEngine, type Engine, type EngineOptions } from './engine';
export { rowKey } from './merge';
export { Monitor, type MonitorEvent, type MonitorOptions } from './monitor';
export { ProcessCache, type ProcessReader } from './process-cache';
export { lookupService } from './services';
export type { CollectOptions, RawSocket, Source } from './types';
export { SourceFailure } from './types';
