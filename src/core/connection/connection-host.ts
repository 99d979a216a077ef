import type { SlotBudget } from '../budget/slot-budget';
import type { SseTimers } from '../scheduling/environment';
import type { NotifyScheduler } from '../scheduling/notify-scheduler';
import type { ResolvedStream } from '../stream/resolve-stream';
import type { StreamError, Transport } from '../types';
import type { DecideFailure } from './retry-decision';
import type { MachineState } from './state';

/** What a connection needs from its client. */
export interface ConnectionHost {
  readonly budget: SlotBudget;
  readonly scheduler: NotifyScheduler;
  readonly timers: SseTimers;
  transportFor(stream: ResolvedStream): Transport | StreamError;
  isOnline(): boolean;
  random(): number;
  /** retry.shouldRetry's decision, once its chunk has loaded (the client loads it before a stream that has one connects). */
  readonly decideFailure?: DecideFailure | undefined;
  /** Something devtools / useSsePool shows changed. */
  changed(): void;
}

/** What the local driver reads of its connection and hands the wire's events to. */
export interface DrivenConnection {
  readonly stream: ResolvedStream;
  /** Types the transport listens to. */
  readonly eventTypes: string[];
  readonly lastEventId: string | undefined;
  readonly lifecycle: MachineState;
  /** An event off the wire of attempt `attempt`. */
  received(attempt: number, type: string, data: string, id: string | undefined): void;
  setLastEventId(id: string): void;
}
