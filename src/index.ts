export { SseProvider } from './react/SseProvider';
export type { SseProviderProps } from './react/SseProvider';
export { useEventStream } from './react/useEventStream';
export type { EventStreamResult, UseEventStreamOptions } from './react/useEventStream';
export { useLatestEvent } from './react/useLatestEvent';
export type { LatestEventResult, UseLatestEventOptions } from './react/useLatestEvent';
export { useSseEvent } from './react/useSseEvent';
export { useSseStatus } from './react/useSseStatus';
export { useSsePool } from './react/useSsePool';
export type { SseEventOf, StreamStatusResult } from './react/types';
export { defineStream } from './core/define-stream';
export type {
  BodyInput,
  ConnectionOptions,
  EventMap,
  EventSchemas,
  HeadersInput,
  PoolEntry,
  RetryOptions,
  SseEvent,
  StreamDescriptor,
  StreamError,
  StreamErrorKind,
  StreamOptions,
  StreamSource,
  StreamStatus,
  Transport,
  TransportCallbacks,
  TransportConnection,
  TransportFailure,
  TransportRequest,
} from './core/types';
