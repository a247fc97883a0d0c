import type { ConnectorEvents } from '../../core/connector-events.js';
import type { TypedEvents } from '../../core/events.js';
import type { ObservedAttributes } from '../../core/observer.js';
import type { GraphQLCall, GraphQLOutcome } from '../../protocols/graphql/call.js';
import { graphqlErrorsError, type GraphQLResponse } from '../../protocols/graphql/result.js';
import type { ObservedResult } from '../observer.js';
import type { ObservationAdapter } from '../layers/adapter.js';
import type { Redactor } from '../redact.js';
import { serverAttributes } from './common.js';
import { httpFailure, httpResult, resendAttributes, withHeaders } from './http.js';
import { observedMessage } from './message.js';

/**
 * What {@link graphqlObservation} needs to know about a GraphQL connector.
 *
 * @example
 * ```ts
 * import { Redactor, type GraphQLObservationOptions } from 'ia-connectors';
 * const o: GraphQLObservationOptions = { connector: 'shop', endpoint: 'http://127.0.0.1:4000/graphql', redactor: new Redactor() };
 * ```
 */
export interface GraphQLObservationOptions {
  connector: string;
  /** The absolute URL operations are sent to. */
  endpoint: string;
  redactor: Redactor;
  events?: TypedEvents<ConnectorEvents>;
}

/**
 * Observes GraphQL operations by the GraphQL semantic conventions (span name
 * `{type} {name}`, `graphql.operation.type`, `graphql.operation.name`) plus the HTTP
 * attributes of the request that carries them; a result with errors ends with
 * `ok: false` and `error.type` `GRAPHQL`. Opening the subscriptions socket is observed
 * as `websocket open`. Trace-context headers go out as HTTP headers of operations and
 * as handshake headers of the subscriptions socket.
 *
 * @example
 * ```ts
 * import { graphqlObservation, Redactor } from 'ia-connectors';
 * const adapter = graphqlObservation({ connector: 'shop', endpoint: 'http://127.0.0.1:4000/graphql', redactor: new Redactor() });
 * ```
 */
export function graphqlObservation(options: GraphQLObservationOptions): ObservationAdapter<GraphQLCall, GraphQLOutcome> {
  const { connector, redactor } = options;
  const endpoint = new URL(options.endpoint);
  const http: ObservedAttributes = { ...serverAttributes(endpoint), 'url.scheme': endpoint.protocol.slice(0, -1), 'url.full': redactor.url(endpoint.href) };

  return {
    connector,
    protocol: 'graphql',
    events: options.events,
    call(call, startTime) {
      if (call.kind === 'socket') {
        const url = new URL(call.url);
        const attributes = { ...serverAttributes(url), 'url.scheme': url.protocol.slice(0, -1), 'url.full': redactor.url(call.url) };
        return { connector, protocol: 'graphql', name: 'websocket open', attributes, startTime };
      }
      const { kind, operationName, text } = call.document;
      const attributes: ObservedAttributes = { 'graphql.operation.type': kind, ...(operationName ? { 'graphql.operation.name': operationName } : {}), 'http.request.method': call.method, ...http };
      return {
        connector,
        protocol: 'graphql',
        name: operationName ? `${kind} ${operationName}` : kind,
        attributes,
        startTime,
        request: () => observedMessage(call.headers ?? {}, { query: text, operationName, variables: call.variables }, redactor),
      };
    },
    attempt: (call, attempt) => (call.kind === 'operation' ? resendAttributes(attempt) : {}),
    result: (outcome, call) => ('socket' in outcome ? { ok: true, attributes: { 'http.response.status_code': 101 } } : responseResult(outcome, call, redactor)),
    failure: (error) => httpFailure(error, redactor),
    propagate: (call, headers) => ({ ...call, headers: withHeaders(call.headers, headers) }),
  };
}

function responseResult(response: GraphQLResponse, call: GraphQLCall, redactor: Redactor): ObservedResult {
  const shown = () => observedMessage(response.headers, { data: response.data, errors: response.errors, extensions: response.extensions }, redactor);
  const name = call.kind === 'operation' ? (call.document.operationName ?? call.document.kind) : 'operation';
  const errors = response.errors ?? [];
  if (response.status >= 400 || errors.length === 0) return httpResult(response.status, name, shown);
  const message = graphqlErrorsError(errors, { operationName: response.operationName, redactor }).message;
  return { ok: false, attributes: { 'http.response.status_code': response.status, 'error.type': 'GRAPHQL' }, error: { code: 'GRAPHQL', message }, response: shown };
}
