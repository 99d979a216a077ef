import type { StandardSchemaV1 } from '@standard-schema/spec';
import { describeCause, ownValue, streamError } from '../errors/stream-error';
import type { StreamError } from '../types';
import { message } from '../errors/messages';

/** What decode() returns for an event it cannot deliver (a success returns the payload itself: nothing allocated per event). */
export class DecodeFailure {
  constructor(readonly error: StreamError) {}
}

export type ParseFn = (data: string, type: string) => unknown;

/**
 * Turns an event's data string into its payload: parse, then validate against the event type's
 * schema. One decoder per descriptor, so subscribers that share a connection but bring different
 * parsers or schemas each get what they asked for, while equal ones decode each event once.
 */
export interface Decoder {
  /** The payload, or a DecodeFailure. */
  decode(type: string, data: string): unknown;
}

export function createDecoder(
  parse: ParseFn | undefined = undefined,
  schemas: Record<string, StandardSchemaV1 | undefined> | undefined = undefined,
): Decoder {
  return {
    decode(type, data) {
      let value: unknown;
      try {
        // JSON.parse called directly when no parse is given: this runs once per event.
        value = parse ? parse(data, type) : JSON.parse(data);
      } catch (cause) {
        return new DecodeFailure(streamError('parse', message('parse', type, describeCause(cause)), { eventType: type, cause }));
      }
      const schema = schemas && ownValue(schemas, type);
      return schema ? validate(schema, type, value) : value;
    },
  };
}

function validate(schema: StandardSchemaV1, type: string, value: unknown): unknown {
  let result: ReturnType<StandardSchemaV1['~standard']['validate']>;
  try {
    result = schema['~standard'].validate(value);
  } catch (cause) {
    // A schema should return issues, not throw; thrown into the transport it would end the
    // connection, and the server would send the same event again after the reconnect.
    return new DecodeFailure(
      streamError('validation', message('schema-threw', type, describeCause(cause)), {
        eventType: type,
        cause,
      }),
    );
  }
  if (result instanceof Promise) {
    // Events must stay in order; an async validator would let later events overtake earlier ones.
    return new DecodeFailure(streamError('validation', message('schema-async', type), { eventType: type }));
  }
  if (result.issues) {
    const first = result.issues[0];
    const where = first?.path?.length ? ` at ${first.path.map((p) => (typeof p === 'object' ? String(p.key) : String(p))).join('.')}` : '';
    return new DecodeFailure(
      streamError('validation', message('schema-failed', type, where, first?.message ?? 'invalid'), {
        eventType: type,
        cause: result.issues,
      }),
    );
  }
  return result.value;
}

