import type { Client, ClientDuplexStream, Metadata, ServiceError } from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { ConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';
import { builtinRoot, REFLECTION_PACKAGES, reflectionProto } from './builtin-protos.js';
import { rootFromFileDescriptors } from './descriptor-root.js';
import { methodsOfRoot } from './methods.js';
import { Code } from './status-codes.js';
import { statusError, type CallFacts } from './status-error.js';

type Answer = Record<string, unknown> & { message_response?: string; error_response?: { error_code: number; error_message: string } };

/**
 * What a reflection session needs: the service wanted (all of them when undefined),
 * the metadata to send (auth included), the deadline (epoch ms), and names for errors.
 *
 * @example
 * ```ts
 * import { Metadata } from '@grpc/grpc-js';
 * import { Redactor } from 'ia-connectors';
 * import type { ReflectOptions } from './reflection.js';
 * const o: ReflectOptions = { service: 'demo.Greeter', metadata: () => new Metadata(), deadline: Date.now() + 5000, connector: 'greeter', target: 'grpc://127.0.0.1:50051', redactor: new Redactor() };
 * ```
 */
export interface ReflectOptions {
  service: string | undefined;
  metadata: () => Metadata;
  deadline: number;
  connector: string;
  target: string;
  redactor: Redactor;
}

/**
 * Asks the server for its services and their `.proto` definitions through gRPC server
 * reflection (`grpc.reflection.v1`, then `v1alpha`), like `grpcurl` does, and builds a
 * protobufjs `Root` from the file descriptors, fetching imported files as needed. A
 * server without reflection is a `PROTO` error that says to use `protoFiles`.
 *
 * @example
 * ```ts
 * import { reflect } from './reflection.js';
 * declare const client: import('@grpc/grpc-js').Client;
 * declare const options: import('./reflection.js').ReflectOptions;
 * const root = await reflect(client, options);
 * ```
 */
export async function reflect(client: Client, options: ReflectOptions): Promise<protobuf.Root> {
  for (const pkg of REFLECTION_PACKAGES) {
    const method = methodsOfRoot(builtinRoot(reflectionProto(pkg)), { longs: 'string', enums: 'string', bytes: 'buffer', defaults: false })[0];
    if (!method) continue;
    const facts: CallFacts = { connector: options.connector, method: method.path, target: options.target, deadline: undefined };
    const call = client.makeBidiStreamRequest(method.path, method.serialize, method.deserialize, options.metadata(), { deadline: options.deadline });
    const session = new Session(call, facts, options.redactor);
    try {
      return await describeServer(session, options);
    } catch (error) {
      if (error instanceof ConnectorError && error.details.grpcCode === Code.UNIMPLEMENTED) continue;
      throw error;
    } finally {
      session.close();
    }
  }
  throw new ConnectorError('PROTO', `the server at ${options.target} does not offer server reflection; give the connector protoFiles instead`, {
    details: { connector: options.connector, target: options.target },
  });
}

async function describeServer(session: Session, options: ReflectOptions): Promise<protobuf.Root> {
  const listing = await session.ask({ list_services: '' }, 'list_services_response');
  const services = ((listing['list_services_response'] as { service?: { name: string }[] }).service ?? []).map((s) => s.name);
  const wanted = options.service === undefined ? services.filter((s) => !s.startsWith('grpc.reflection.')) : [options.service];
  if (options.service !== undefined && !services.includes(options.service)) {
    throw new ConnectorError('PROTO', `service "${options.service}" is not offered by ${options.target}; available: ${services.join(', ') || '(none)'}`, {
      details: { service: options.service, services },
    });
  }
  const files = new Map<string, Uint8Array>();
  const missing: string[] = [];
  const add = (answer: Answer): void => {
    for (const bytes of (answer['file_descriptor_response'] as { file_descriptor_proto?: Uint8Array[] }).file_descriptor_proto ?? []) {
      const file = descriptor.FileDescriptorProto.decode(bytes) as unknown as { name: string; dependency?: string[] };
      if (files.has(file.name)) continue;
      files.set(file.name, bytes);
      missing.push(...(file.dependency ?? []));
    }
  };
  for (const service of wanted) add(await session.ask({ file_containing_symbol: service }, 'file_descriptor_response'));
  for (let name = missing.shift(); name !== undefined; name = missing.shift()) {
    if (!files.has(name)) add(await session.ask({ file_by_filename: name }, 'file_descriptor_response'));
  }
  return rootFromFileDescriptors([...files.values()]);
}

/** One reflection stream: requests answered in order, one at a time. */
class Session {
  readonly #waiting: { resolve: (answer: Answer) => void; reject: (error: unknown) => void }[] = [];
  #failure: unknown;

  constructor(
    private readonly call: ClientDuplexStream<unknown, unknown>,
    private readonly facts: CallFacts,
    redactor: Redactor,
  ) {
    call.on('data', (answer: Answer) => this.#waiting.shift()?.resolve(answer));
    call.on('error', (error: ServiceError) => {
      this.#failure = statusError(error, facts, redactor);
      for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
    });
    call.on('end', () => {
      this.#failure ??= new ConnectorError('PROTO', `server reflection at ${facts.target} ended before answering; use protoFiles instead`);
      for (const waiter of this.#waiting.splice(0)) waiter.reject(this.#failure);
    });
  }

  async ask(request: Record<string, string>, expected: string): Promise<Answer> {
    if (this.#failure) throw this.#failure;
    const answer = await new Promise<Answer>((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.call.write(request);
    });
    if (answer.message_response === expected) return answer;
    const problem = answer.error_response;
    const asked = Object.entries(request).map(([k, v]) => `${k} ${JSON.stringify(v)}`)[0];
    throw new ConnectorError('PROTO', `server reflection at ${this.facts.target} could not answer ${asked}: ${problem?.error_message ?? 'unexpected answer'}; use protoFiles instead`, {
      details: { connector: this.facts.connector, ...(problem ? { grpcCode: problem.error_code } : {}) },
    });
  }

  close(): void {
    this.call.end();
    this.call.cancel();
  }
}
