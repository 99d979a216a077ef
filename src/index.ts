export { SseProvider } from './react/sse-provider';
export type { SseProviderProps } from './react/sse-provider';
export { useEventStream } from './react/use-event-stream';
export type { EventStreamResult, UseEventStreamOptions } from './react/use-event-stream';
export { useLatestEvent } from './react/use-latest-event';
export { useSuspenseLatestEvent } from './react/use-suspense-latest-event';
export type { SuspenseLatestEventResult, UseSuspenseLatestEventOptions } from './react/use-suspense-latest-event';
export type { LatestEventResult, UseLatestEventOptions } from './react/use-latest-event';
export { useSseEvent } from './react/use-sse-event';
export type { UseSseEventOptions } from './react/use-sse-event';
export { useSseStatus } from './react/use-sse-status';
export { useSsePool } from './react/use-sse-pool';
export { useEventReducer } from './react/use-event-reducer';
export type { EventReducerResult, UseEventReducerOptions } from './react/use-event-reducer';
export { createSseClient } from './core/client/create-sse-client';
export type { PageSignal, SseEnvironment, SseTimers } from './core/scheduling/environment';
export type { EventsOptions, SseClient, SseClientOptions, SubscribeOptions } from './core/client/sse-client';
export { defineStream } from './core/stream/define-stream';
export { SseError } from './core/errors/sse-error';
export type {
  BodyInput,
  ConnectionOptions,
  EventMap,
  EndOn,
  EventSchemas,
  HeadersInput,
  PoolEntry,
  RetryOptions,
  SseEvent,
  SseEventOf,
  StreamDescriptor,
  StreamError,
  StreamErrorKind,
  StreamOptions,
  StreamSource,
  StreamState,
  StreamStatus,
  Transport,
  TransportCallbacks,
  TransportConnection,
  TransportFailure,
  TransportRequest,
} from './core/types';
