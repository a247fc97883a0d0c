import type { WebSocket } from 'ws';
import type { AuthCredentials } from '../../auth/strategy.js';
import type { PreparedDocument } from './document.js';
import type { GraphQLResponse } from './result.js';

/**
 * One query or mutation as it travels the policy chain: the prepared document, its
 * variables, and whether repeating it is safe. The auth layer fills `credentials`.
 *
 * @example
 * ```ts
 * import { prepareDocument, type GraphQLOperationCall } from 'ia-connectors';
 * const call: GraphQLOperationCall = { kind: 'operation', document: prepareDocument('{ hello }'), variables: undefined, extensions: undefined, headers: undefined, method: 'POST', repeatable: true };
 * ```
 */
export interface GraphQLOperationCall {
  readonly kind: 'operation';
  readonly document: PreparedDocument;
  readonly variables: Readonly<Record<string, unknown>> | undefined;
  readonly extensions: Readonly<Record<string, unknown>> | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;
  readonly method: 'GET' | 'POST';
  /** A query, or a mutation the caller declared safe to repeat: retry may send it again. */
  readonly repeatable: boolean;
  readonly credentials?: AuthCredentials;
}

/**
 * Opening (or re-opening) the subscriptions WebSocket as it travels the chain, so
 * retry, breaker, rate limit, timeouts and auth guard it like any call. `rejected`
 * holds credentials the server refused, which the auth layer renews first.
 *
 * @example
 * ```ts
 * import type { GraphQLSocketCall } from 'ia-connectors';
 * const open: GraphQLSocketCall = { kind: 'socket', url: 'ws://127.0.0.1:4000/graphql' };
 * ```
 */
export interface GraphQLSocketCall {
  readonly kind: 'socket';
  readonly url: string;
  /** Extra handshake headers (trace context from an observer); credentials go in `credentials`. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly rejected?: AuthCredentials;
  readonly credentials?: AuthCredentials;
}

/**
 * What a GraphQL connector's chain carries; custom layers can tell the two apart by `kind`.
 *
 * @example
 * ```ts
 * import type { ChainLayer, GraphQLCall, GraphQLOutcome } from 'ia-connectors';
 * const onlyQueries: ChainLayer<GraphQLCall, GraphQLOutcome> = { name: 'custom', middleware: (ctx, next) => next() };
 * ```
 */
export type GraphQLCall = GraphQLOperationCall | GraphQLSocketCall;

/**
 * An open subscriptions WebSocket and the credentials it was opened with.
 *
 * @example
 * ```ts
 * import type { OpenedSocket } from 'ia-connectors';
 * const protocol = (s: OpenedSocket) => s.socket.protocol; // 'graphql-transport-ws'
 * ```
 */
export interface OpenedSocket {
  readonly kind: 'socket';
  readonly socket: WebSocket;
  readonly credentials: AuthCredentials | undefined;
}

/**
 * What a GraphQL connector's chain returns: a response for an operation, an open
 * socket for a socket call.
 *
 * @example
 * ```ts
 * import type { GraphQLOutcome } from 'ia-connectors';
 * const isSocket = (o: GraphQLOutcome) => 'socket' in o;
 * ```
 */
export type GraphQLOutcome = GraphQLResponse | OpenedSocket;
