import type { Decoder } from '../stream/decoder';
import type { StreamError } from '../types';
import type { ChannelReader, EventChannel } from './event-channel';
import type { ConnectionView } from './state';

/** What a subscriber may read of and do to the connection it joined. */
export interface JoinedConnection {
  readonly state: ConnectionView;
  readonly lastEventId: string | undefined;
  reconnect(): void;
  close(): void;
}

/**
 * One hook call (or client subscriber) on a connection: the event types it wants, how it decodes
 * them, and how it reads them (see ChannelReader). The connection hands it the channel where its
 * events are kept.
 */
export interface ConnectionSubscriber extends ChannelReader {
  readonly types: readonly string[];
  readonly decoder: Decoder;
  onState(): void;
  /**
   * Each new StreamError as it happens, synchronously: event errors too, also one that a later
   * event clears before the batched render could show it.
   */
  onError?(error: StreamError): void;
  /** False while it shows errors to no one (a handler without onError); absent: it does. Development builds warn about errors nothing shows. */
  showsErrors?(): boolean;
  /** Called by add(): the connection it joined and the channel it reads. */
  attach?(channel: EventChannel, connection: JoinedConnection): void;
}

/**
 * The one side channel: sees every event as it came off the wire (`data` is the raw string) and,
 * if it asks, every state change, without counting as a subscriber, so it attaches no listener and
 * holds nothing open. Cross-tab relaying and devtools read through it.
 */
export interface ConnectionObserver {
  event(type: string, data: string, id: string | undefined): void;
  state?(): void;
  /** It passes errors on to someone who shows them (another tab): no warning that nobody sees them. */
  readonly relaysErrors?: boolean;
}

/** The two commands a connection's user gives that another party may have to carry out. */
export type ConnectionCommand = 'close' | 'reconnect';

/** Where close() and reconnect() go while another tab owns the connection. */
export interface FollowerDriver {
  command(command: ConnectionCommand): void;
}
