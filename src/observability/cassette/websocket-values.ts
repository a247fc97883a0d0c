import { ConnectorError } from '../../core/errors.js';
import type { OutgoingMessage, WebSocketMessage, WebSocketOpenRequest } from '../../protocols/websocket/types.js';
import { REDACTED, type Redactor } from '../redact.js';
import { plainJson, sortedJson } from './json.js';
import { recordedJson, recordedParams, redactedBytes } from './redaction.js';
import type { RequestView } from './track.js';
import type { RecordedHandshake, RecordedMessage } from './websocket-format.js';

/**
 * How a WebSocket cassette names recorded exchanges in messages, and which go to the
 * same place (the same kind: a send, a request).
 *
 * @example
 * ```ts
 * import { WEBSOCKET_VIEW } from './websocket-values.js';
 * WEBSOCKET_VIEW.describe({ kind: 'send', message: { json: { type: 'subscribe' } } }); // 'send {"type":"subscribe"}'
 * ```
 */
export const WEBSOCKET_VIEW: RequestView = {
  describe: (r) => `${String(r['kind'])}${r['message'] === undefined ? '' : ` ${shown(r['message'] as RecordedMessage)}`}`,
  sameEndpoint: (a, b) => a['kind'] === b['kind'],
};

function shown(message: RecordedMessage): string {
  if ('json' in message) return JSON.stringify(message.json) ?? '';
  if ('text' in message) return JSON.stringify(message.text);
  return `${Buffer.from(message.base64, 'base64').byteLength} bytes`;
}

/**
 * A message to send as stored and matched: text as text, bytes as base64, anything
 * else as JSON with sorted keys; credential-named fields and known secrets hidden.
 * `without` leaves a field out (the correlation id, which changes from run to run).
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { recordedOutgoing } from './websocket-values.js';
 * recordedOutgoing({ id: 7, method: 'add', params: [1, 2] }, new Redactor(), 'id'); // { json: { method: 'add', params: [1, 2] } }
 * ```
 */
export function recordedOutgoing(message: OutgoingMessage, redactor: Redactor, without?: string): RecordedMessage {
  if (typeof message === 'string') return { text: redactor.text(message) };
  if (message instanceof Uint8Array) return { base64: redactedBytes(message, redactor).toString('base64') };
  if (message instanceof ArrayBuffer) return { base64: redactedBytes(new Uint8Array(message), redactor).toString('base64') };
  let value = message;
  if (without !== undefined && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { [without]: _id, ...rest } = value as Record<string, unknown>;
    value = rest;
  }
  const json = plainJson(value);
  if (json === undefined) throw new ConnectorError('SERIALIZATION', 'the message cannot be stored as JSON; convert BigInt values to strings and remove circular references');
  return { json: recordedJson(sortedJson(json), redactor) };
}

/**
 * A message a reader took, as stored (JSON keeps its key order).
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { recordedIncoming } from './websocket-values.js';
 * recordedIncoming({ type: 'json', data: { type: 'tick', price: 101.5 } }, new Redactor()); // { json: { type: 'tick', price: 101.5 } }
 * ```
 */
export function recordedIncoming(message: WebSocketMessage, redactor: Redactor): RecordedMessage {
  if (message.type === 'binary') return { base64: redactedBytes(message.data, redactor).toString('base64') };
  if (message.type === 'text') return { text: redactor.text(message.data), ...(message.invalidJson ? { invalidJson: true as const } : {}) };
  return { json: recordedJson(plainJson(message.data), redactor) };
}

/**
 * A stored message as the connector delivers it again.
 *
 * @example
 * ```ts
 * import { replayedMessage } from './websocket-values.js';
 * replayedMessage({ text: 'hi' }); // { type: 'text', data: 'hi' }
 * ```
 */
export function replayedMessage(stored: RecordedMessage): WebSocketMessage {
  if ('json' in stored) return { type: 'json', data: structuredClone(stored.json) };
  if ('text' in stored) return stored.invalidJson ? { type: 'text', data: stored.text, invalidJson: true } : { type: 'text', data: stored.text };
  return { type: 'binary', data: Buffer.from(stored.base64, 'base64') };
}

/**
 * What a socket opening carried, credentials hidden: handshake headers and query
 * parameters named like credentials (or marked by the redactor) replaced, known secrets
 * and credential-named JSON fields hidden in the first messages.
 *
 * @example
 * ```ts
 * import { Redactor } from 'ia-connectors';
 * import { recordedHandshake } from './websocket-values.js';
 * recordedHandshake({ url: 'ws://127.0.0.1:1/ws', headers: { authorization: 'Bearer t' }, protocols: [], reconnect: 0 }, new Redactor()).headers; // { authorization: '[REDACTED]' }
 * ```
 */
export function recordedHandshake(request: WebSocketOpenRequest, redactor: Redactor): RecordedHandshake {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [name, redactor.isSensitiveHeader(name) || redactor.isSecretName(name) ? REDACTED : redactor.text(value)]),
  );
  const query = request.query === undefined ? {} : (recordedParams(request.query, redactor) as Record<string, string>);
  const first = (request.firstMessages ?? []).map((text) => firstMessage(text, redactor));
  return {
    url: redactor.url(request.url),
    ...(Object.keys(query).length > 0 ? { query } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(request.protocols.length > 0 ? { protocols: [...request.protocols] } : {}),
    ...(first.length > 0 ? { firstMessages: first } : {}),
  };
}

function firstMessage(text: string, redactor: Redactor): string {
  try {
    return JSON.stringify(recordedJson(JSON.parse(text), redactor));
  } catch {
    return redactor.text(text);
  }
}
