import type { GraphQLResultError } from './result.js';

/**
 * A GraphQL result as read off the wire, before it becomes a typed result.
 *
 * @example
 * ```ts
 * import type { WireResult } from 'ia-connectors';
 * const w: WireResult = { data: { hello: 'hi' }, errors: undefined, extensions: undefined };
 * ```
 */
export interface WireResult {
  data: unknown;
  errors: GraphQLResultError[] | undefined;
  extensions: Record<string, unknown> | undefined;
}

/**
 * Reads a parsed body as a GraphQL result: an object with `data` or `errors`.
 * Returns `undefined` for anything else (an HTML error page, `{ "message": ... }`), so
 * the caller can report what actually arrived. Each error is normalised: a string
 * `message` always, `path`, `locations` and `extensions` only when well-formed.
 *
 * @example
 * ```ts
 * import { readWireResult } from 'ia-connectors';
 * readWireResult({ data: null, errors: [{ message: 'boom', path: ['a'] }] })?.errors; // [{ message: 'boom', path: ['a'] }]
 * readWireResult('<html>'); // undefined
 * ```
 */
export function readWireResult(body: unknown): WireResult | undefined {
  if (!isRecord(body) || (!('data' in body) && !('errors' in body))) return undefined;
  const rawErrors = body['errors'];
  const errors = Array.isArray(rawErrors) ? rawErrors.map(normaliseError) : rawErrors == null ? undefined : [normaliseError(rawErrors)];
  const extensions = isRecord(body['extensions']) ? body['extensions'] : undefined;
  return { data: body['data'], errors: errors && errors.length > 0 ? errors : undefined, extensions };
}

/**
 * Normalises one error entry from a server (HTTP body or graphql-ws message).
 *
 * @example
 * ```ts
 * import { normaliseError } from 'ia-connectors';
 * normaliseError({ message: 'x', locations: [{ line: 1, column: 2 }] }); // { message: 'x', locations: [{ line: 1, column: 2 }] }
 * ```
 */
export function normaliseError(entry: unknown): GraphQLResultError {
  if (!isRecord(entry)) return { message: typeof entry === 'string' ? entry : safeJson(entry) };
  const message = typeof entry['message'] === 'string' ? entry['message'] : safeJson(entry);
  const out: { -readonly [K in keyof GraphQLResultError]: GraphQLResultError[K] } = { message };
  const path = entry['path'];
  if (Array.isArray(path) && path.every((p) => typeof p === 'string' || typeof p === 'number')) out.path = path as (string | number)[];
  const locations = entry['locations'];
  if (Array.isArray(locations) && locations.every(isLocation)) out.locations = locations;
  if (isRecord(entry['extensions'])) out.extensions = entry['extensions'];
  return out;
}

function isLocation(value: unknown): value is { line: number; column: number } {
  return isRecord(value) && typeof value['line'] === 'number' && typeof value['column'] === 'number';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function safeJson(value: unknown): string {
  try {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > 200 ? `${text.slice(0, 200)}…` : text;
  } catch {
    return String(value);
  }
}
