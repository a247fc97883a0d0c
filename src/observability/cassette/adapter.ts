import type { ChainLayer } from '../../core/chain.js';
import { ConnectorError } from '../../core/errors.js';
import type { CallContext, Middleware } from '../../core/middleware.js';
import type { Redactor } from '../redact.js';
import type { CassetteProtocol, Interaction } from './format.js';
import { attemptStore, redactorOf, replayedError, throwIfAborted } from './layer-support.js';
import { recordedError } from './redaction.js';
import type { Cassette } from './store.js';
import type { CassetteTrack, RequestView } from './track.js';

/**
 * A request ready for the cassette: `key` is what is stored and matched (redacted),
 * `url` the redacted URL it goes to, for the response's `url`.
 *
 * @example
 * ```ts
 * import type { PreparedRequest } from 'ia-connectors';
 * const p: PreparedRequest = { key: { method: 'GET', path: '/users' }, url: 'http://127.0.0.1:8080/users' };
 * ```
 */
export interface PreparedRequest {
  key: Record<string, unknown>;
  url: string;
}

/**
 * What a protocol tells the cassette layer: how a request is stored and matched, how a
 * response is stored, and how a stored response becomes the protocol's real response
 * object again.
 *
 * @example
 * ```ts
 * import type { CassetteAdapter, ApiRequest, ApiResponse } from 'ia-connectors';
 * declare const rest: CassetteAdapter<ApiRequest, ApiResponse>;
 * rest.protocol; // 'rest'
 * ```
 */
export interface CassetteAdapter<Req, Res> {
  /** The request/response protocols; gRPC and WebSocket have layers of their own. */
  readonly protocol: Extract<CassetteProtocol, 'rest' | 'graphql'>;
  /** The connector's base URL: stored in the file, and its origin put in place of the recorded one in replayed answers. */
  readonly baseUrl: string;
  readonly view: RequestView;
  /** Values the request carries under credential names, hidden wherever they appear in this attempt's record. */
  secretsOf(request: Req, redactor: Redactor): string[];
  /**
   * The request as stored, or `undefined` for a call the cassette leaves alone
   * (a subscription socket). Throws what the transport would for a malformed request.
   */
  prepare(request: Req, redactor: Redactor): PreparedRequest | undefined;
  /** The stored form of a response, and the response to hand on (a copy when a stream had to be read). */
  capture(response: Res, ctx: CallContext<Req>, prepared: PreparedRequest, redactor: Redactor): Promise<{ stored: NonNullable<Interaction['response']>; value: Res }>;
  /** The protocol's response object for a stored response. */
  rebuild(stored: NonNullable<Interaction['response']>, ctx: CallContext<Req>, prepared: PreparedRequest, redactor: Redactor): Res;
  /** The error for a call that cannot be replayed (`prepare` returned `undefined`). */
  notReplayed(ctx: CallContext<Req>): ConnectorError;
}

/**
 * Where a cassette layer finds its one connector's redactor: the instance, or a function
 * asked at each call (a connector built after its layers can be reached that way). Logs
 * and reports, which serve many connectors at once, take a `RedactorSource` instead.
 *
 * @example
 * ```ts
 * import { Redactor, type CassetteRedactor } from 'ia-connectors';
 * const eager: CassetteRedactor = new Redactor({ queryParams: ['key'] });
 * declare const connector: { redactor: Redactor };
 * const late: CassetteRedactor = () => connector.redactor;
 * ```
 */
export type CassetteRedactor = Redactor | (() => Redactor | undefined);

/**
 * The `cassette` chain layer for a protocol adapter. Recording passes each attempt on
 * and stores it (redacted) with its response or error, and writes the connector's
 * file at `close()`; replaying answers each attempt from the file without calling
 * `next`, so nothing reaches the network.
 *
 * @example
 * ```ts
 * import { Cassette, cassetteChainLayer, restCassetteAdapter } from 'ia-connectors';
 * const cassette = new Cassette({ dir: 'cassettes', mode: 'replay' });
 * const layer = cassetteChainLayer(restCassetteAdapter({ baseUrl: 'http://127.0.0.1:8080' }), { cassette, connector: 'users' });
 * ```
 */
export function cassetteChainLayer<Req, Res>(
  adapter: CassetteAdapter<Req, Res>,
  options: { cassette: Cassette; connector: string; redactor?: CassetteRedactor | undefined },
): ChainLayer<Req, Res> {
  const { cassette, connector } = options;
  const connectorRedactor = redactorOf(options.redactor);
  // A credential a request carries by name (an access_token parameter) is hidden in the response that echoes it too.
  const redactorFor = (request: Req): Redactor => {
    const redactor = connectorRedactor();
    const secrets = adapter.secretsOf(request, redactor);
    return secrets.length > 0 ? redactor.extend({ secrets }) : redactor;
  };
  const origin = new URL(adapter.baseUrl).origin;
  if (cassette.mode === 'replay') {
    let track: CassetteTrack | undefined;
    const middleware: Middleware<Req, Res> = async (ctx) => {
      throwIfAborted(ctx.signal, connector);
      const redactor = redactorFor(ctx.request);
      const prepared = adapter.prepare(ctx.request, redactor);
      if (prepared === undefined) throw adapter.notReplayed(ctx);
      if (!track) throw new ConnectorError('NOT_CONNECTED', `connector "${connector}" is not connected; call connect() first`);
      const interaction = track.answer(prepared.key, adapter.view, connector);
      if (interaction.error) throw replayedError(interaction.error);
      const stored = interaction.response as NonNullable<Interaction['response']>;
      const moved = track.origin !== undefined && track.origin !== origin;
      return adapter.rebuild(moved ? withOrigin(stored, track.origin as string, origin) : stored, ctx, prepared, redactor);
    };
    return {
      name: 'cassette',
      middleware,
      open: async () => {
        track = await cassette.track(connector, adapter.protocol);
      },
    };
  }
  const store = attemptStore<Interaction>((seq, interaction) =>
    cassette.record(connector, { protocol: adapter.protocol, baseUrl: connectorRedactor().url(adapter.baseUrl) }, seq, interaction),
  );
  const middleware: Middleware<Req, Res> = async (ctx, next) => {
    let redactor: Redactor;
    let prepared: PreparedRequest | undefined;
    try {
      redactor = redactorFor(ctx.request);
      prepared = adapter.prepare(ctx.request, redactor);
    } catch {
      // A malformed request never reaches the wire; the transport reports it as it always does.
      return next();
    }
    if (prepared === undefined) return next();
    const seq = cassette.begin();
    try {
      const response = await next();
      const { stored, value } = await adapter.capture(response, ctx, prepared, redactor);
      store(ctx, seq, { attempt: ctx.attempt, request: prepared.key, response: stored });
      return value;
    } catch (error) {
      store(ctx, seq, { attempt: ctx.attempt, request: prepared.key, error: recordedError(error, redactor) });
      throw error;
    }
  };
  return { name: 'cassette', middleware, close: () => cassette.flush(connector) };
}

/** A stored answer with every mention of the recorded origin (Link and Location headers, URLs in bodies) moved to the live one. */
function withOrigin<T>(value: T, from: string, to: string): T {
  // Only the whole origin: http://127.0.0.1:4010 must not rewrite http://127.0.0.1:40100.
  const pattern = new RegExp(`${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.:-])`, 'g');
  const move = (item: unknown): unknown => {
    if (typeof item === 'string') return item.includes(from) ? item.replace(pattern, to) : item;
    if (Array.isArray(item)) return item.map(move);
    if (item === null || typeof item !== 'object') return item;
    return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, move(inner)]));
  };
  return move(value) as T;
}
