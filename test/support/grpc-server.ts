import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { addReflection } from './grpc-reflection.js';

/** One call as the server received it. */
export interface RecordedGrpcCall {
  /** `/pkg.Service/Method`. */
  path: string;
  /** The method name alone. */
  method: string;
  /** Request metadata, first value per key. */
  metadata: Record<string, string | Buffer>;
  /** The deadline the client sent, as epoch ms; `Infinity` when none. */
  deadline: number;
  /** `Date.now()` when the call arrived (follows fake timers that fake `Date`). */
  at: number;
  /** The request message of unary and server-streaming calls. */
  request: unknown;
  /** True once the client cancelled the call. */
  cancelled: boolean;
}

/** A grpc-js handler of any kind; the server records the call before running it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type GrpcBehaviour = (call: any, callback?: any) => void;

/** Health statuses a test can set per service name ("" is the whole server). */
export type HealthStatusName = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** A real grpc-js server on 127.0.0.1 whose methods a test scripts. */
export interface GrpcTestServer {
  /** `127.0.0.1:<port>`. */
  readonly target: string;
  readonly port: number;
  /** Every call received, in order. */
  readonly calls: RecordedGrpcCall[];
  /** The package definition the server was built from (proto-loader, keepCase). */
  readonly definition: protoLoader.PackageDefinition;
  /**
   * Answers `method` (its name, or `pkg.Service/Method`) with `behaviour`; an array
   * is a sequence where the n-th call uses the n-th behaviour and the last repeats.
   */
  handle(method: string, behaviour: GrpcBehaviour | GrpcBehaviour[]): this;
  /** Sets what `grpc.health.v1.Health/Check` answers for `service` (when health is on). */
  setHealth(service: string, status: HealthStatusName): void;
  /** Stops at once, cancelling calls in progress; idempotent. */
  close(): Promise<void>;
}

/** Options of {@link startGrpcServer}. */
export interface StartGrpcServerOptions {
  protoFiles: string[];
  includeDirs?: string[];
  /** Default behaviours by method name or `pkg.Service/Method`; unscripted methods answer UNIMPLEMENTED. */
  behaviours?: Record<string, GrpcBehaviour>;
  /** Serve TLS with this key and certificate; `clientCa` asks for and verifies client certificates. */
  tls?: { key: string; cert: string; clientCa?: string };
  /** Serve grpc.health.v1.Health (from this health.proto). */
  healthProto?: string;
  /** Serve server reflection v1 (from this reflection.proto). */
  reflectionProto?: string;
}

/**
 * Starts a grpc-js server on 127.0.0.1, port 0, built with proto-loader from the given
 * files, the way applications build theirs. Always `close()` it after the test.
 *
 * @example
 * ```ts
 * const server = await startGrpcServer({ protoFiles: ['echo.proto'], behaviours: { Say: (call, cb) => cb(null, { text: 'hi' }) } });
 * ```
 */
export async function startGrpcServer(options: StartGrpcServerOptions): Promise<GrpcTestServer> {
  const loaderOptions = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: options.includeDirs ?? [] };
  const definition = await protoLoader.load(options.protoFiles, loaderOptions);
  const server = new grpc.Server();
  const calls: RecordedGrpcCall[] = [];
  const scripts = new Map<string, { behaviours: GrpcBehaviour[]; used: number }>();
  const health = new Map<string, HealthStatusName>([['', 'SERVING']]);
  const find = (path: string, name: string): GrpcBehaviour | undefined => {
    const script = scripts.get(path.slice(1)) ?? scripts.get(name);
    if (script) return script.behaviours[Math.min(script.used++, script.behaviours.length - 1)];
    return options.behaviours?.[path.slice(1)] ?? options.behaviours?.[name];
  };
  for (const [serviceName, service] of Object.entries(definition)) {
    if (!isService(service)) continue;
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(service)) {
      implementation[name] = (call: grpc.ServerUnaryCall<unknown, unknown>, callback?: grpc.sendUnaryData<unknown>) => {
        const deadline = call.getDeadline();
        const record: RecordedGrpcCall = {
          path: method.path,
          method: name,
          metadata: call.metadata.getMap() as Record<string, string | Buffer>,
          deadline: deadline instanceof Date ? deadline.getTime() : Number(deadline),
          at: Date.now(),
          request: call.request,
          cancelled: false,
        };
        calls.push(record);
        call.on('cancelled', () => (record.cancelled = true));
        const behaviour = find(method.path, name);
        if (!behaviour) {
          const status = { code: grpc.status.UNIMPLEMENTED, details: `no behaviour scripted for ${serviceName}/${name}` };
          if (callback) callback(status);
          else (call as unknown as grpc.ServerWritableStream<unknown, unknown>).emit('error', status);
          return;
        }
        behaviour(call, callback);
      };
    }
    server.addService(service, implementation);
  }
  if (options.healthProto) await addHealth(server, options.healthProto, health, calls);
  if (options.reflectionProto) {
    await addReflection(server, options.reflectionProto, definition, (path, metadata) => {
      const method = path.slice(path.lastIndexOf('/') + 1);
      calls.push({ path, method, metadata: metadata.getMap() as Record<string, string | Buffer>, deadline: Infinity, at: Date.now(), request: undefined, cancelled: false });
    });
  }
  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(
        options.tls.clientCa ? Buffer.from(options.tls.clientCa) : null,
        [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }],
        options.tls.clientCa !== undefined,
      )
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', credentials, (error, bound) => (error ? reject(error) : resolve(bound))));
  let closed = false;
  const api: GrpcTestServer = {
    target: `127.0.0.1:${port}`,
    port,
    calls,
    definition,
    handle(method, behaviour) {
      scripts.set(method, { behaviours: Array.isArray(behaviour) ? behaviour : [behaviour], used: 0 });
      return api;
    },
    setHealth: (service, status) => void health.set(service, status),
    close: async () => {
      if (closed) return;
      closed = true;
      server.forceShutdown();
    },
  };
  return api;
}

async function addHealth(server: grpc.Server, protoFile: string, statuses: Map<string, HealthStatusName>, calls: RecordedGrpcCall[]): Promise<void> {
  const definition = await protoLoader.load(protoFile, { keepCase: true, enums: String });
  server.addService(definition['grpc.health.v1.Health'] as grpc.ServiceDefinition, {
    Check: (call: grpc.ServerUnaryCall<{ service: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const metadata = call.metadata.getMap() as Record<string, string | Buffer>;
      calls.push({ path: '/grpc.health.v1.Health/Check', method: 'Check', metadata, deadline: Number(call.getDeadline()), at: Date.now(), request: call.request, cancelled: false });
      const status = statuses.get(call.request.service);
      if (status === undefined) callback({ code: grpc.status.NOT_FOUND, details: `unknown service ${call.request.service}` });
      else callback(null, { status });
    },
    Watch: (call: grpc.ServerWritableStream<unknown, unknown>) => call.emit('error', { code: grpc.status.UNIMPLEMENTED }),
  });
}

function isService(value: unknown): value is grpc.ServiceDefinition {
  const first = typeof value === 'object' && value !== null ? Object.values(value)[0] : undefined;
  return typeof first === 'object' && first !== null && typeof (first as { path?: unknown }).path === 'string';
}
