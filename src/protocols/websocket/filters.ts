import { ConnectorError } from '../../core/errors.js';
import type { WebSocketMessage, WireFrame } from './types.js';

/**
 * What a filter knows about an outgoing message besides the message itself.
 *
 * @example
 * ```ts
 * import type { SendMeta } from 'ia-connectors';
 * const meta: SendMeta = { correlationId: 7 };
 * ```
 */
export interface SendMeta {
  /** Set for `request()`: the id the correlation filter stamps into the message. */
  readonly correlationId?: number | string;
}

/**
 * Per-message work on a socket, as in grpc-js: outgoing messages pass the filters
 * in order, incoming ones in reverse. The connector's own filters are correlation
 * (first) and the JSON codec (last); yours sit between them, so they see objects,
 * not bytes. `receive` may return `undefined` to consume a message.
 *
 * @example
 * ```ts
 * import type { MessageFilter } from 'ia-connectors';
 * // Wraps every outgoing object in an envelope and unwraps incoming ones.
 * const envelope: MessageFilter = {
 *   send: (m) => (typeof m === 'object' && m !== null ? { payload: m } : m),
 *   receive: (m) => (m.type === 'json' && typeof m.data === 'object' && m.data !== null && 'payload' in m.data ? { type: 'json', data: m.data.payload } : m),
 * };
 * ```
 */
export interface MessageFilter {
  send?(message: unknown, meta: SendMeta): unknown;
  receive?(message: WebSocketMessage): WebSocketMessage | undefined;
}

/**
 * The last filter: objects, arrays, numbers, booleans and `null` become JSON text;
 * strings and bytes pass as they are. Incoming text is parsed as JSON with
 * `format: 'json'`; text that does not parse stays text, flagged `invalidJson`.
 *
 * @example
 * ```ts
 * import { jsonCodecFilter } from 'ia-connectors';
 * jsonCodecFilter('json').send?.({ a: 1 }, {}); // '{"a":1}'
 * ```
 */
export function jsonCodecFilter(format: 'json' | 'text'): MessageFilter {
  return {
    send: encodeFrame,
    receive:
      format === 'text'
        ? undefined
        : (message) => {
            if (message.type !== 'text') return message;
            try {
              return { type: 'json', data: JSON.parse(message.data) as unknown };
            } catch {
              return { type: 'text', data: message.data, invalidJson: true };
            }
          },
  };
}

/**
 * Encodes one outgoing value as a wire frame (see {@link jsonCodecFilter}).
 *
 * @throws `INVALID_REQUEST` for `undefined`, functions and symbols; `SERIALIZATION`
 * for values JSON cannot hold (BigInt, cycles).
 * @example
 * ```ts
 * import { encodeFrame } from 'ia-connectors';
 * encodeFrame(new Uint8Array([1, 2])); // Uint8Array [1, 2]
 * ```
 */
export function encodeFrame(message: unknown): WireFrame {
  if (typeof message === 'string' || message instanceof Uint8Array) return message;
  if (message instanceof ArrayBuffer) return new Uint8Array(message);
  if (ArrayBuffer.isView(message)) return new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
  if (message === undefined || typeof message === 'function' || typeof message === 'symbol') {
    throw new ConnectorError('INVALID_REQUEST', `cannot send ${typeof message}; send an object, an array, a string or bytes`);
  }
  let text: string | undefined;
  try {
    text = JSON.stringify(message);
  } catch (error) {
    throw new ConnectorError('SERIALIZATION', `the message cannot be sent as JSON (${error instanceof Error ? error.message : String(error)}); remove BigInt values and cycles`, {
      cause: error,
    });
  }
  if (text === undefined) throw new ConnectorError('INVALID_REQUEST', 'the message encodes to nothing in JSON; send an object, an array, a string or bytes');
  return text;
}

/**
 * The filters of one connector, split once into send order and receive order so a
 * message costs one loop per direction.
 *
 * @example
 * ```ts
 * import { FilterChain, jsonCodecFilter } from 'ia-connectors';
 * const chain = new FilterChain([jsonCodecFilter('json')]);
 * chain.send({ hello: 'world' }, {}); // '{"hello":"world"}'
 * ```
 */
export class FilterChain {
  readonly #send: MessageFilter[];
  readonly #receive: MessageFilter[];

  constructor(filters: readonly MessageFilter[]) {
    this.#send = filters.filter((f) => f.send !== undefined);
    this.#receive = filters.filter((f) => f.receive !== undefined).reverse();
  }

  /** Runs the send filters in order; the result must be text or bytes. */
  send(message: unknown, meta: SendMeta): WireFrame {
    let current = message;
    for (const filter of this.#send) current = (filter.send as NonNullable<MessageFilter['send']>)(current, meta);
    if (typeof current !== 'string' && !(current instanceof Uint8Array)) {
      throw new ConnectorError('INVALID_REQUEST', `the message filters produced ${typeof current}, not text or bytes; a filter must return what the next one accepts`);
    }
    return current;
  }

  /** Runs the receive filters in reverse order; `undefined` when one consumed the message. */
  receive(message: WebSocketMessage): WebSocketMessage | undefined {
    let current: WebSocketMessage | undefined = message;
    for (const filter of this.#receive) {
      current = (filter.receive as NonNullable<MessageFilter['receive']>)(current);
      if (current === undefined) return undefined;
    }
    return current;
  }
}
