import { DecodeFailure, type Decoder } from '../stream/decoder';
import type { SseEvent, StreamError } from '../types';
import { EventChannel, type ChannelReader } from './event-channel';

/** What a channel needs to know of a reader: its decoder and the event types it reads. */
export interface ChannelMember extends ChannelReader {
  readonly types: readonly string[];
  readonly decoder: Decoder;
}

/**
 * A connection's event channels: readers with the same decoder and event types share one
 * (one stored copy of each event), and each event is decoded once per decoder however many
 * channels read its type.
 */
export class EventChannels {
  /** Channels by decoder, then by their event types ('\n'-joined: event names have no line breaks). */
  readonly #byDecoder = new Map<Decoder, Map<string, EventChannel>>();
  readonly #byType = new Map<string, Set<EventChannel>>();
  /** Where each reader went: it leaves the same channel even if its types array changed since. */
  readonly #joined = new Map<ChannelMember, EventChannel>();

  readonly #schedule: (flush: () => void) => void;

  constructor(schedule: (flush: () => void) => void) {
    this.#schedule = schedule;
  }

  /** The event types some reader reads. */
  types(): IterableIterator<string> {
    return this.#byType.keys();
  }

  join(member: ChannelMember): EventChannel {
    let byTypes = this.#byDecoder.get(member.decoder);
    if (!byTypes) this.#byDecoder.set(member.decoder, (byTypes = new Map()));
    const key = member.types.join('\n');
    let channel = byTypes.get(key);
    if (!channel) {
      byTypes.set(key, (channel = new EventChannel(member.types, member.decoder, this.#schedule)));
      for (const type of member.types) {
        let set = this.#byType.get(type);
        if (!set) this.#byType.set(type, (set = new Set()));
        set.add(channel);
      }
    }
    channel.add(member);
    this.#joined.set(member, channel);
    return channel;
  }

  leave(member: ChannelMember): void {
    const channel = this.#joined.get(member);
    if (!channel) return;
    this.#joined.delete(member);
    channel.remove(member);
    if (channel.size > 0) return;
    const byTypes = this.#byDecoder.get(channel.decoder)!;
    byTypes.delete(channel.types.join('\n'));
    if (byTypes.size === 0) this.#byDecoder.delete(channel.decoder);
    for (const type of channel.types) {
      const set = this.#byType.get(type);
      if (set?.delete(channel) && set.size === 0) this.#byType.delete(type);
    }
  }

  /** Decodes the event once per distinct decoder (usually one) and hands one event object to each channel of its type. */
  fanOut(type: string, data: string, id: string | undefined, lastEventId: string, onError: (error: StreamError) => void): void {
    const channels = this.#byType.get(type);
    if (!channels) return;
    let lastDecoder: Decoder | undefined;
    let event: SseEvent | undefined;
    const receivedAt = Date.now();
    for (const channel of channels) {
      if (channel.decoder !== lastDecoder) {
        lastDecoder = channel.decoder;
        const value = lastDecoder.decode(type, data);
        const failed = value instanceof DecodeFailure;
        event = failed ? undefined : { type, data: value, id, lastEventId, receivedAt };
        if (failed) onError(value.error);
      }
      if (event) channel.push(event);
    }
  }
}
