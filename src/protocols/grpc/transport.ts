import { Client, Metadata, type ServiceDefinition } from '@grpc/grpc-js';
import { ConnectorError } from '../../core/errors.js';
import type { TypedEvents } from '../../core/events.js';
import type { ConnectorEvents } from '../../core/connector-events.js';
import type { CallContext } from '../../core/middleware.js';
import type { Classifier } from '../../core/outcome.js';
import type { Transport } from '../../core/transport.js';
import type { AuthStrategy } from '../../auth/strategy.js';
import type { Redactor } from '../../observability/redact.js';
import { methodInfo, offlineMethod, type GrpcCallHook } from './call-hook.js';
import { checkMessage, type CallSetup } from './call-setup.js';
import { channelOptions } from './channel-options.js';
import { grpcClassifier } from './classify.js';
import type { GrpcConnectorConfig } from './config.js';
import { openDuplex } from './duplex.js';
import { healthMethods } from './health.js';
import { addMetadata } from './metadata.js';
import { MethodTable } from './method-table.js';
import { methodsOfDefinition, methodsOfRoot, type GrpcMethod } from './methods.js';
import { loadProtoFiles } from './proto-files.js';
import { reflect } from './reflection.js';
import { UnaryResponse } from './response.js';
import { openServerStream } from './server-stream.js';
import { parseGrpcTarget, type GrpcTarget } from './target.js';
import { channelCredentials } from './tls.js';
import type { GrpcCall, GrpcResult } from './types.js';
import { clientStreamCall, unaryCall, type UnaryOutcome } from './unary.js';

const CALL_FOR_KIND = { unary: 'execute', serverStream: 'serverStream', clientStream: 'clientStream', bidi: 'bidiStream' } as const;

/**
 * gRPC I/O for the connector on one `@grpc/grpc-js` channel. At connect it reads the
 * TLS files, opens the channel, opens the auth strategy and learns the methods (from
 * `.proto` files, server reflection or a generated client); each `send` is one
 * attempt: a whole unary or client-streaming call, or the opening of a stream.
 *
 * @example
 * ```ts
 * import { GrpcTransport, grpcConnectorConfigSchema, Redactor, TypedEvents } from 'ia-connectors';
 * const cfg = grpcConnectorConfigSchema.parse({ name: 'g', protocol: 'grpc', target: '127.0.0.1:50051', tls: false, protoFiles: ['greeter.proto'] });
 * const transport = new GrpcTransport(cfg, new TypedEvents(), new Redactor());
 * ```
 */
export class GrpcTransport implements Transport<GrpcCall, GrpcResult> {
  readonly classify: Classifier<GrpcCall, GrpcResult>;
  readonly #target: GrpcTarget;
  readonly #tls: NonNullable<GrpcConnectorConfig['tls']>;
  readonly #display: string;
  #client: Client | undefined;
  #table: MethodTable | undefined;
  #defaults: Metadata | undefined;

  constructor(
    private readonly config: GrpcConnectorConfig,
    private readonly events: TypedEvents<ConnectorEvents>,
    private readonly redactor: Redactor,
    private readonly auth?: AuthStrategy,
    private readonly definition?: ServiceDefinition,
    private readonly hook?: GrpcCallHook,
  ) {
    const field = config.target !== undefined ? 'target' : 'baseUrl';
    const parsed = parseGrpcTarget(config.target ?? config.baseUrl ?? '', field);
    if (!parsed.ok) throw new ConnectorError('CONFIG', `${field}: ${parsed.problem}`);
    this.#target = parsed.target;
    this.#tls = config.tls ?? parsed.target.tls ?? true;
    this.#display = parsed.target.display ?? `${this.#tls === false ? 'grpc' : 'grpcs'}://${parsed.target.address}`;
    this.classify = grpcClassifier((name) => this.#table?.find(name)?.idempotent ?? false);
  }

  /** The address dialled, with its scheme, e.g. `grpcs://api.example.com:443`. */
  get target(): string {
    return this.#display;
  }

  async open(): Promise<void> {
    if (this.hook?.offline) return this.#openOffline(this.hook);
    const credentials = await channelCredentials(this.#tls);
    const client = new Client(this.#target.address, credentials, channelOptions(this.config));
    try {
      this.#defaults = addMetadata(new Metadata(), this.config.metadata, 'metadata');
      await this.auth?.open();
      const loaded = await this.#loadMethods(client);
      const methods = this.config.validateRequests ? loaded : loaded.map((m) => ({ ...m, check: undefined }));
      const source = this.definition ? 'the generated client' : this.config.reflection ? `the services of ${this.#display}` : 'protoFiles';
      this.#table = new MethodTable(methods, { source, service: this.config.service, overrides: this.config.methods }, healthMethods());
      this.#client = client;
      this.hook?.loaded(loaded.map(methodInfo));
    } catch (error) {
      client.close();
      throw error;
    }
  }

  async close(): Promise<void> {
    this.#client?.close();
    this.#client = undefined;
    this.#table = undefined;
    await this.auth?.close?.();
  }

  /** The method a name refers to; `PROTO` if there is none, `NOT_CONNECTED` before connect. */
  method(name: string): GrpcMethod {
    if (!this.#table) throw new ConnectorError('NOT_CONNECTED', `connector "${this.config.name}" is not connected; call connect() first`);
    return this.#table.get(name);
  }

  /** The open channel's client, for health probes. */
  get client(): Client | undefined {
    return this.#client;
  }

  readonly send = async (ctx: CallContext<GrpcCall>): Promise<GrpcResult> => {
    if (!this.#table) throw new ConnectorError('NOT_CONNECTED', `connector "${ctx.connector}" is not connected; call connect() first`);
    const request = ctx.request;
    const method = this.method(request.method);
    if (method.kind !== request.kind) {
      throw new ConnectorError('INVALID_REQUEST', `${method.path} is a ${method.kind} method; call it with ${CALL_FOR_KIND[method.kind]}() instead of ${CALL_FOR_KIND[request.kind]}()`, {
        details: { connector: ctx.connector, method: method.path, kind: method.kind },
      });
    }
    return this.hook ? this.hook.call(ctx, methodInfo(method), () => this.#perform(ctx, method)) : this.#perform(ctx, method);
  };

  /** A connector replaying a recording: the methods come from the hook, and no channel is opened. */
  async #openOffline(hook: GrpcCallHook): Promise<void> {
    this.#defaults = addMetadata(new Metadata(), this.config.metadata, 'metadata');
    await this.auth?.open();
    const methods = (await hook.methods()).map(offlineMethod);
    this.#table = new MethodTable(methods, { source: 'the recording', service: this.config.service, overrides: this.config.methods }, healthMethods());
  }

  async #perform(ctx: CallContext<GrpcCall>, method: GrpcMethod): Promise<GrpcResult> {
    const client = this.#client;
    if (!client) throw new ConnectorError('NOT_CONNECTED', `connector "${ctx.connector}" is not connected; call connect() first`);
    const request = ctx.request;
    const deadline = this.#deadline(ctx);
    const setup: CallSetup = {
      client,
      method,
      metadata: this.#metadata(request),
      deadline,
      signal: ctx.signal,
      facts: { connector: ctx.connector, method: method.path, target: this.#display, deadline },
      redactor: this.redactor,
      onStatus: this.events.has('response') ? (code) => this.#emitResponse(ctx, method, code) : undefined,
    };
    const message = request.request ?? {};
    if (request.kind === 'unary' || request.kind === 'serverStream') checkMessage(setup, message, 'request');
    if (this.events.has('request')) {
      this.events.emit('request', { connector: ctx.connector, attempt: ctx.attempt, method: method.path, url: `${this.#display}${method.path}` });
    }
    switch (request.kind) {
      case 'unary':
        return this.#respond(ctx, method, await unaryCall(setup, message));
      case 'clientStream':
        return this.#respond(ctx, method, await clientStreamCall(setup, request.messages ?? []));
      case 'serverStream':
        return openServerStream(setup, message, ctx.attempt, this.config.timeout.headers);
      case 'bidi':
        return openDuplex(setup, Date.now() + this.config.timeout.connect);
    }
  }

  #respond(ctx: CallContext<GrpcCall>, method: GrpcMethod, outcome: UnaryOutcome): UnaryResponse {
    return new UnaryResponse(outcome.body, outcome.headers, outcome.trailers, method.path, performance.now() - ctx.startedAt, ctx.attempt, this.redactor);
  }

  /** Unary calls end by the chain's deadline; a stream lives as long as its own timeout allows. */
  #deadline(ctx: CallContext<GrpcCall>): number | undefined {
    const { kind, timeout } = ctx.request;
    const end = kind === 'unary' || kind === 'clientStream' ? ctx.deadline : timeout === undefined ? undefined : ctx.startedAt + timeout;
    return end === undefined ? undefined : Date.now() + Math.max(0, end - performance.now());
  }

  #metadata(request: GrpcCall): Metadata {
    const metadata = (this.#defaults as Metadata).clone();
    return request.metadata ? addMetadata(metadata, request.metadata, `metadata of ${request.method}`) : metadata;
  }

  async #loadMethods(client: Client): Promise<GrpcMethod[]> {
    if (this.definition) return methodsOfDefinition(this.definition);
    if (this.config.protoFiles) return methodsOfRoot(await loadProtoFiles(this.config.protoFiles, this.config.includeDirs), this.config.decode);
    const creds = this.auth ? await this.auth.credentials() : { headers: {} };
    const root = await reflect(client, {
      service: this.config.service,
      metadata: () => addMetadata((this.#defaults as Metadata).clone(), creds.headers, 'auth metadata'),
      deadline: Date.now() + this.config.timeout.connect,
      connector: this.config.name,
      target: this.#display,
      redactor: this.redactor,
    });
    return methodsOfRoot(root, this.config.decode);
  }

  #emitResponse(ctx: CallContext<GrpcCall>, method: GrpcMethod, status: number): void {
    const url = `${this.#display}${method.path}`;
    this.events.emit('response', { connector: ctx.connector, attempt: ctx.attempt, method: method.path, url, status, durationMs: performance.now() - ctx.startedAt });
  }
}
