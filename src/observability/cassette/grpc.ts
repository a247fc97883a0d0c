import { ConnectorError } from '../../core/errors.js';
import type { CallContext } from '../../core/middleware.js';
import { methodInfo, type GrpcCallHook, type GrpcCallHookLayer } from '../../protocols/grpc/call-hook.js';
import { UnaryResponse } from '../../protocols/grpc/response.js';
import type { GrpcCall, GrpcMethodInfo, GrpcResponse, GrpcResult, GrpcServerStream } from '../../protocols/grpc/types.js';
import type { Redactor } from '../redact.js';
import type { CassetteRedactor } from './adapter.js';
import type { GrpcInteraction, GrpcRecordedResponse, RecordedGrpcMethod } from './grpc-format.js';
import { RecordingServerStream, ReplayedServerStream, type StreamOutcome } from './grpc-stream.js';
import { GRPC_VIEW, grpcRequestKey, grpcSecrets, metadataOf, recordedMessage, recordedMetadata } from './grpc-values.js';
import { bytesFromJson, roundMs } from './json.js';
import { attemptStore, redactorOf, replayedError, throwIfAborted } from './layer-support.js';
import { recordedError } from './redaction.js';
import type { Cassette } from './store.js';
import type { CassetteTrack } from './track.js';

/**
 * Options of {@link grpcCassetteLayer}.
 *
 * @example
 * ```ts
 * import { Cassette, type GrpcCassetteOptions } from 'ia-connectors';
 * const o: GrpcCassetteOptions = { cassette: new Cassette({ dir: 'cassettes', mode: 'record' }), connector: 'catalog', target: 'grpc://127.0.0.1:50051' };
 * ```
 */
export interface GrpcCassetteOptions {
  cassette: Cassette;
  /** The connector's name: its file is `<dir>/<connector>.cassette.json`. */
  connector: string;
  /** The address the connector dials, stored in the file for readers. */
  target: string;
  /** The connector's redactor (or a function returning it): values it knows as secrets are hidden. */
  redactor?: CassetteRedactor | undefined;
}

const PASS_THROUGH = (_ctx: unknown, next: () => Promise<GrpcResult>): Promise<GrpcResult> => next();

/**
 * The cassette layer of a gRPC connector. Recording, it stores the methods the
 * connector loaded, every unary call (request message, metadata without credentials,
 * response message, headers, trailers, or the error with its status) and every server
 * stream (its messages, how its reading ended, trailers). Replaying, the connector opens
 * no channel and asks no reflection: its methods come from the file and each call is
 * answered with a real `GrpcResponse`, or a stream of the recorded messages ending with
 * the recorded status. Client-streaming and bidirectional calls run live when recording
 * and are refused with `UNSUPPORTED` when replaying.
 *
 * @example
 * ```ts
 * import { Cassette, createGrpcConnector, grpcCassetteLayer } from 'ia-connectors';
 * const cassette = new Cassette({ dir: 'cassettes/demo', mode: 'record' });
 * const catalog = createGrpcConnector(
 *   { name: 'catalog', target: '127.0.0.1:50051', tls: false, reflection: true },
 *   { layers: [grpcCassetteLayer({ cassette, connector: 'catalog', target: 'grpc://127.0.0.1:50051', redactor: () => catalog.redactor })] },
 * );
 * ```
 */
export function grpcCassetteLayer(options: GrpcCassetteOptions): GrpcCallHookLayer {
  const hook = options.cassette.mode === 'replay' ? replayHook(options) : recordHook(options);
  return {
    name: 'cassette',
    middleware: PASS_THROUGH,
    // The hook answers at the transport; the layer only carries it and its lifecycle.
    active: () => false,
    ...(options.cassette.mode === 'replay' ? { open: async () => void (await hook.methods()) } : { close: () => options.cassette.flush(options.connector) }),
    grpcCallHook: hook,
  };
}

function recordHook(options: GrpcCassetteOptions): GrpcCallHook {
  const { cassette, connector, target } = options;
  const connectorRedactor = redactorOf(options.redactor);
  let methods: RecordedGrpcMethod[] = [];
  const header = () => ({ protocol: 'grpc' as const, baseUrl: target, methods });
  const store = attemptStore<GrpcInteraction>((seq, interaction) => cassette.record(connector, header(), seq, interaction));
  return {
    offline: false,
    methods: async () => methods.map(infoOf),
    loaded(list) {
      methods = list.map((m) => JSON.parse(JSON.stringify(methodInfo(m))) as RecordedGrpcMethod);
      cassette.describe(connector, header());
    },
    async call(ctx, method, next) {
      const { kind } = ctx.request;
      if (kind !== 'unary' && kind !== 'serverStream') return next();
      let redactor: Redactor;
      let request: Record<string, unknown>;
      try {
        redactor = redactorFor(ctx.request, connectorRedactor());
        request = grpcRequestKey(kind, method.path, ctx.request.request, redactor);
      } catch {
        // A message that is not JSON is reported by the transport as it always is.
        return next();
      }
      const metadata = recordedMetadata(ctx.request.metadata, redactor);
      const base = { attempt: ctx.attempt, request, ...(metadata ? { metadata } : {}) };
      const seq = cassette.begin();
      try {
        const result = await next();
        if (kind === 'unary') {
          store(ctx, seq, { ...base, response: unaryRecord(result as GrpcResponse, redactor) });
          return result;
        }
        const started = performance.now();
        const live = result as GrpcServerStream & { follow(signal: unknown): unknown };
        return new RecordingServerStream(live, (outcome) => store(ctx, seq, { ...base, response: streamRecord(outcome, performance.now() - started, redactor) }));
      } catch (error) {
        store(ctx, seq, { ...base, error: recordedError(error, redactor) });
        throw error;
      }
    },
  };
}

function replayHook(options: GrpcCassetteOptions): GrpcCallHook {
  const { cassette, connector, target } = options;
  const connectorRedactor = redactorOf(options.redactor);
  let track: CassetteTrack<GrpcInteraction> | undefined;
  const load = async (): Promise<CassetteTrack<GrpcInteraction>> => (track ??= await cassette.track(connector, 'grpc'));
  return {
    offline: true,
    methods: async () => (await load()).methods.map(infoOf),
    loaded: () => undefined,
    async call(ctx, method) {
      throwIfAborted(ctx.signal, connector);
      const { kind } = ctx.request;
      if (kind !== 'unary' && kind !== 'serverStream') throw notReplayed(ctx, method);
      const redactor = redactorFor(ctx.request, connectorRedactor());
      const recorded = await load();
      const interaction = recorded.answer(grpcRequestKey(kind, method.path, ctx.request.request, redactor), GRPC_VIEW, connector);
      if (interaction.error) throw replayedError(interaction.error);
      const stored = interaction.response as GrpcRecordedResponse;
      if (kind === 'serverStream') return new ReplayedServerStream(stored, { connector, method: method.path, target, attempts: ctx.attempt, file: recorded.file });
      const { headers, trailers, durationMs } = stored;
      return new UnaryResponse(bytesFromJson(stored.body), metadataOf(headers), metadataOf(trailers), method.path, durationMs, ctx.attempt, redactor);
    },
  };
}

function infoOf(method: RecordedGrpcMethod): GrpcMethodInfo {
  return { ...method, requestType: method.requestType, responseType: method.responseType };
}

function redactorFor(call: GrpcCall, redactor: Redactor): Redactor {
  const secrets = grpcSecrets(call, redactor);
  return secrets.length > 0 ? redactor.extend({ secrets }) : redactor;
}

function unaryRecord(response: GrpcResponse, redactor: Redactor): GrpcRecordedResponse {
  return {
    headers: recordedMetadata(response.headers, redactor) ?? {},
    body: recordedMessage(response.body, redactor),
    trailers: recordedMetadata(response.trailers, redactor) ?? {},
    durationMs: roundMs(response.durationMs),
  };
}

function streamRecord(outcome: StreamOutcome, durationMs: number, redactor: Redactor): GrpcRecordedResponse {
  const trailers = outcome.trailers === undefined ? undefined : (recordedMetadata(outcome.trailers, redactor) ?? {});
  return {
    headers: recordedMetadata(outcome.headers, redactor) ?? {},
    messages: outcome.messages.map((m) => recordedMessage(m, redactor)),
    end: outcome.end,
    ...(outcome.end === 'error' ? { error: recordedError(outcome.error, redactor) } : {}),
    ...(trailers === undefined ? {} : { trailers }),
    durationMs: roundMs(durationMs),
  };
}

function notReplayed(ctx: CallContext<GrpcCall>, method: GrpcMethodInfo): ConnectorError {
  const kind = ctx.request.kind === 'bidi' ? 'bidirectional' : 'client-streaming';
  return new ConnectorError(
    'UNSUPPORTED',
    `connector "${ctx.connector}": ${method.path} is a ${kind} call, and those are not replayed from cassettes (only unary calls and server streams are recorded); run it against the live service, or leave it out of a replayed run`,
    { details: { connector: ctx.connector, method: method.path } },
  );
}
