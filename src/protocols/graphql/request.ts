import { randomUUID } from 'node:crypto';
import { ConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';
import type { GraphQLOperationCall } from './call.js';
import type { GraphQLConnectorConfig } from './config.js';
import { prepareDocument, type GraphQLDocument, type OperationKind, type PreparedDocument } from './document.js';
import { checkDeclaredVariables } from './document-errors.js';

/**
 * One GraphQL call as `execute()` takes it: the document and, optionally, variables,
 * the operation to run, extensions, headers, the HTTP method and per-call limits.
 *
 * @example
 * ```ts
 * import type { GraphQLRequest } from 'ia-connectors';
 * const req: GraphQLRequest = { query: 'query User($id: ID!) { user(id: $id) { name } }', variables: { id: '7' } };
 * ```
 */
export interface GraphQLRequest<TData = Record<string, unknown>, TVariables = Record<string, unknown>> {
  query: GraphQLDocument<TData, TVariables>;
  variables?: TVariables;
  /** Required when the document defines several operations. */
  operationName?: string;
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
  /** `GET` is allowed for queries only. @default 'POST' (or 'GET' for queries with useGetForQueries) */
  method?: 'GET' | 'POST';
  /** Declares a mutation safe to repeat, so retry may send it again. Queries always are. */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Total time for this call in milliseconds, all attempts included. */
  timeout?: number;
}

/**
 * Per-call options of `query()`, `mutation()` and `subscribe()`.
 *
 * @example
 * ```ts
 * import type { GraphQLCallOptions } from 'ia-connectors';
 * const o: GraphQLCallOptions = { operationName: 'Recent', timeout: 5000, headers: { 'x-trace': '1' } };
 * ```
 */
export type GraphQLCallOptions = Omit<GraphQLRequest, 'query' | 'variables'>;

const KIND_CALL: Record<OperationKind, string> = { query: 'query()', mutation: 'mutation()', subscription: 'subscribe()' };

/**
 * Turns a request into the call the chain carries: the document parsed (locally,
 * cached), its kind checked against what the caller asked for, the variables checked
 * against the declarations, and whether retry may repeat it. Throws before anything
 * is sent.
 *
 * @example
 * ```ts
 * import { toOperationCall, graphqlConnectorConfigSchema } from 'ia-connectors';
 * const cfg = graphqlConnectorConfigSchema.parse({ name: 'shop', protocol: 'graphql', baseUrl: 'http://127.0.0.1:4000' });
 * toOperationCall({ query: '{ hello }' }, cfg, ['query', 'mutation']).repeatable; // true
 * ```
 */
export function toOperationCall(
  request: GraphQLRequest<unknown, unknown>,
  config: GraphQLConnectorConfig,
  allowed: readonly OperationKind[],
  redactor?: Redactor,
): GraphQLOperationCall {
  if (typeof request !== 'object' || request === null) {
    throw new ConnectorError('INVALID_REQUEST', 'a GraphQL request must be an object such as { query: "{ hello }", variables: {} }');
  }
  const document = prepareDocument(request.query, request.operationName, redactor);
  checkKind(document, allowed);
  const variables = request.variables as Record<string, unknown> | undefined;
  checkDeclaredVariables(document, variables);
  const method = request.method ?? (config.useGetForQueries && document.kind === 'query' ? 'GET' : 'POST');
  if (method !== 'GET' && method !== 'POST') throw new ConnectorError('INVALID_REQUEST', `method must be "GET" or "POST", got ${JSON.stringify(method)}`);
  if (method === 'GET' && document.kind !== 'query') {
    throw new ConnectorError('INVALID_REQUEST', `a ${document.kind} cannot be sent with GET (GraphQL over HTTP allows GET for queries only); remove method: "GET"`);
  }
  let headers = request.headers;
  let repeatable = document.kind === 'query' || request.idempotent === true || config.retryMutations || hasIdempotencyKey(headers);
  if (!repeatable && config.retry.idempotencyKey === 'auto') {
    // One key per call, kept by every attempt: the server can drop duplicates, which makes a retry safe.
    headers = { ...headers, 'idempotency-key': randomUUID() };
    repeatable = true;
  }
  return { kind: 'operation', document, variables, extensions: request.extensions, headers, method, repeatable };
}

function checkKind(document: PreparedDocument, allowed: readonly OperationKind[]): void {
  if (allowed.includes(document.kind)) return;
  const name = document.operationName ? ` "${document.operationName}"` : '';
  const asked = allowed.length === 1 ? KIND_CALL[allowed[0] as OperationKind] : 'execute()';
  throw new ConnectorError('INVALID_REQUEST', `${asked} was given a ${document.kind}${name}; use ${KIND_CALL[document.kind]} for it`, {
    details: { operationKind: document.kind, ...(document.operationName ? { operationName: document.operationName } : {}) },
  });
}

function hasIdempotencyKey(headers: Readonly<Record<string, string>> | undefined): boolean {
  if (!headers) return false;
  for (const name of Object.keys(headers)) if (name.toLowerCase() === 'idempotency-key') return true;
  return false;
}
