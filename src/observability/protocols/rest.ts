import type { ConnectorEvents } from '../../core/connector-events.js';
import type { TypedEvents } from '../../core/events.js';
import type { ObservedAttributes } from '../../core/observer.js';
import { HTTP_METHODS, type ApiRequest, type ApiResponse } from '../../core/types.js';
import { prepareBase, resolveTarget, type PreparedBase } from '../../protocols/rest/url.js';
import type { ObservationAdapter } from '../layers/adapter.js';
import type { Redactor } from '../redact.js';
import { lazyCall, routeTemplate, serverAttributes } from './common.js';
import { httpFailure, httpResult, resendAttributes, withHeaders } from './http.js';
import { observedMessage } from './message.js';

const METHODS = new Set<string>(HTTP_METHODS);

/**
 * What {@link restObservation} needs to know about a REST connector.
 *
 * @example
 * ```ts
 * import { Redactor, type RestObservationOptions } from 'ia-connectors';
 * const o: RestObservationOptions = { connector: 'users', baseUrl: 'http://127.0.0.1:8080/v1', redactor: new Redactor() };
 * ```
 */
export interface RestObservationOptions {
  connector: string;
  baseUrl: string;
  allowedOrigins?: readonly string[];
  /** The connector's own redactor: it knows the secrets its auth strategy resolved. */
  redactor: Redactor;
  events?: TypedEvents<ConnectorEvents>;
}

/**
 * Observes REST calls by the HTTP client semantic conventions: span name
 * `{method} {url.template}` (the endpoint template, `GET /users/{id}`, never the filled
 * path), `http.request.method`, `server.address`, `server.port`, `url.scheme`,
 * `url.template`, a redacted `url.full`; `http.request.resend_count` on retries;
 * `http.response.status_code` and, from 400 or on an error, `error.type`. Trace-context
 * headers go out as HTTP headers.
 *
 * @example
 * ```ts
 * import { restObservation, observerLayers, Redactor, type ApiRequest, type ApiResponse } from 'ia-connectors';
 * const layers = observerLayers<ApiRequest, ApiResponse>([], restObservation({ connector: 'users', baseUrl: 'http://127.0.0.1:8080', redactor: new Redactor() }));
 * ```
 */
export function restObservation(options: RestObservationOptions): ObservationAdapter<ApiRequest, ApiResponse> {
  const { connector, redactor } = options;
  const base: PreparedBase = prepareBase(options.baseUrl, options.allowedOrigins ?? []);
  const baseUrl = new URL(options.baseUrl);
  const baseServer = { ...serverAttributes(baseUrl), 'url.scheme': baseUrl.protocol.slice(0, -1) };
  const label = (request: ApiRequest): string => `${methodOf(request)} ${routeTemplate(request.endpoint, redactor)}`;

  const target = (request: ApiRequest): ObservedAttributes => {
    let href: string;
    let origin: string;
    try {
      ({ href, origin } = resolveTarget(base, request.endpoint, request.params, request.query));
    } catch {
      // The transport reports the bad endpoint itself; the call is still observed.
      return baseServer;
    }
    if (origin === base.origin) return { ...baseServer, 'url.full': redactor.url(href) };
    const other = new URL(origin);
    return { ...serverAttributes(other), 'url.scheme': other.protocol.slice(0, -1), 'url.full': redactor.url(href) };
  };

  return {
    connector,
    protocol: 'rest',
    events: options.events,
    call(request, startTime) {
      const method = methodOf(request);
      const template = routeTemplate(request.endpoint, redactor);
      return lazyCall(
        {
          connector,
          protocol: 'rest',
          name: method === '_OTHER' ? `HTTP ${template}` : `${method} ${template}`,
          startTime,
          request: () => observedMessage(request.headers ?? {}, request.json ?? request.form ?? request.body, redactor),
        },
        () => ({ 'http.request.method': method, ...target(request), 'url.template': template }),
      );
    },
    attempt: (_request, attempt) => resendAttributes(attempt),
    result: (response, request) => httpResult(response.status, label(request), () => observedMessage(response.headers, response.body, redactor)),
    failure: (error) => httpFailure(error, redactor),
    propagate: (request, headers) => ({ ...request, headers: withHeaders(request.headers, headers) }),
  };
}

function methodOf(request: ApiRequest): string {
  return METHODS.has(request.method) ? request.method : '_OTHER';
}
