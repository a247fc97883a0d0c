import { Server, ServerCredentials, status, type ServerDuplexStream, type ServerUnaryCall, type ServerWritableStream, type ServiceDefinition, type sendUnaryData } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor from 'protobufjs/ext/descriptor/index.js';
import { builtinRoot, HEALTH_PROTO, REFLECTION_PACKAGES, reflectionProto } from '../protocols/grpc/builtin-protos.js';

/**
 * The sandbox catalog service, the same definition as `protos/sandbox/catalog.proto`.
 *
 * @example
 * ```ts
 * import { SANDBOX_CATALOG_PROTO } from 'ia-connectors';
 * SANDBOX_CATALOG_PROTO.includes('rpc ListProducts'); // true
 * ```
 */
export const SANDBOX_CATALOG_PROTO = `syntax = "proto3";
package sandbox.catalog.v1;
service Catalog {
  // One product by SKU; NOT_FOUND for an unknown SKU.
  rpc GetProduct (GetProductRequest) returns (Product) { option idempotency_level = NO_SIDE_EFFECTS; }
  // The products of a region (all regions when empty), one message each, at most limit (0: all).
  rpc ListProducts (ListProductsRequest) returns (stream Product) { option idempotency_level = NO_SIDE_EFFECTS; }
}
message GetProductRequest { string sku = 1; }
message ListProductsRequest { string region = 1; int32 limit = 2; }
message Product {
  string sku = 1;
  string name = 2;
  string region = 3;
  int64 price_cents = 4;
  bool in_stock = 5;
  repeated string tags = 6;
}
`;

const SERVICE = 'sandbox.catalog.v1.Catalog';

const PRODUCTS = [
  { sku: 'lamp-01', name: 'Desk lamp', region: 'eu', price_cents: '3900', in_stock: true, tags: ['home', 'light'] },
  { sku: 'mug-02', name: 'Enamel mug', region: 'eu', price_cents: '1200', in_stock: true, tags: ['kitchen'] },
  { sku: 'tent-03', name: 'Two-person tent', region: 'us', price_cents: '18900', in_stock: false, tags: ['outdoor'] },
  { sku: 'kite-04', name: 'Stunt kite', region: 'us', price_cents: '5400', in_stock: true, tags: ['outdoor', 'toys'] },
  { sku: 'wok-05', name: 'Carbon steel wok', region: 'apac', price_cents: '4500', in_stock: true, tags: ['kitchen'] },
];

/**
 * A running sandbox gRPC service.
 *
 * @example
 * ```ts
 * import { startGrpcService } from 'ia-connectors';
 * const grpc = await startGrpcService();
 * console.log(grpc.target); // 127.0.0.1:<port>
 * await grpc.close();
 * ```
 */
export interface GrpcService {
  /** `127.0.0.1:<port>`, plaintext. */
  readonly target: string;
  readonly port: number;
  /** Stops the server, cancelling calls in progress; safe to call twice. */
  close(): Promise<void>;
}

/**
 * Starts the sandbox's gRPC service on 127.0.0.1 (port 0 unless given): the catalog
 * (`GetProduct`, unary; `ListProducts`, server streaming), the standard health service
 * (`SERVING` for the server and the catalog) and server reflection (v1 and v1alpha),
 * so a connector needs no `.proto` file. Nothing leaves the loopback interface.
 *
 * @example
 * ```ts
 * import { startGrpcService, createGrpcConnector } from 'ia-connectors';
 * const service = await startGrpcService();
 * const catalog = createGrpcConnector({ name: 'catalog_grpc', target: service.target, tls: false, reflection: true });
 * const { body } = await catalog.execute({ method: 'GetProduct', request: { sku: 'lamp-01' } });
 * await catalog.disconnect();
 * await service.close();
 * ```
 */
export async function startGrpcService(options: { port?: number } = {}): Promise<GrpcService> {
  const catalog = protobuf.parse(SANDBOX_CATALOG_PROTO, new protobuf.Root(), { keepCase: true }).root;
  catalog.resolveAll();
  const server = new Server();
  server.addService(serviceDefinition(catalog, SERVICE), {
    GetProduct: (call: ServerUnaryCall<{ sku: string }, unknown>, callback: sendUnaryData<unknown>) => {
      const product = PRODUCTS.find((p) => p.sku === call.request.sku);
      if (product) return callback(null, product);
      callback({ code: status.NOT_FOUND, details: `no product "${call.request.sku}"; known SKUs: ${PRODUCTS.map((p) => p.sku).join(', ')}` });
    },
    ListProducts: (call: ServerWritableStream<{ region: string; limit: number }, unknown>) => {
      const { region, limit } = call.request;
      const matching = PRODUCTS.filter((p) => region === '' || p.region === region);
      for (const product of limit > 0 ? matching.slice(0, limit) : matching) call.write(product);
      call.end();
    },
  });
  const health = builtinRoot(HEALTH_PROTO);
  server.addService(serviceDefinition(health, 'grpc.health.v1.Health'), {
    Check: (call: ServerUnaryCall<{ service: string }, unknown>, callback: sendUnaryData<unknown>) => {
      if (call.request.service === '' || call.request.service === SERVICE) return callback(null, { status: 'SERVING' });
      callback({ code: status.NOT_FOUND, details: `unknown service "${call.request.service}"` });
    },
    Watch: (call: ServerWritableStream<unknown, unknown>) => call.emit('error', { code: status.UNIMPLEMENTED, details: 'Watch is not served by the sandbox' }),
  });
  addReflection(server, [catalog, health], [SERVICE, 'grpc.health.v1.Health']);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  let closed = false;
  return {
    target: `127.0.0.1:${port}`,
    port,
    close: async () => {
      if (closed) return;
      closed = true;
      server.forceShutdown();
    },
  };
}

const DECODED: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true };

function serviceDefinition(root: protobuf.Root, name: string, decoded: protobuf.IConversionOptions = DECODED): ServiceDefinition {
  const service = root.lookupService(name);
  const definition: Record<string, ServiceDefinition[string]> = {};
  for (const method of service.methodsArray) {
    const request = method.resolvedRequestType as protobuf.Type;
    const response = method.resolvedResponseType as protobuf.Type;
    definition[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: (value: object) => request.encode(request.fromObject(value)).finish() as Buffer,
      requestDeserialize: (bytes: Buffer) => request.toObject(request.decode(bytes), decoded),
      responseSerialize: (value: object) => response.encode(response.fromObject(value)).finish() as Buffer,
      responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), decoded),
    };
  }
  return definition as ServiceDefinition;
}

/** Server reflection answering every file request with every file, which the protocol allows. */
function addReflection(server: Server, roots: protobuf.Root[], services: string[]): void {
  const files = roots.flatMap((root) => {
    const set = (root as unknown as { toDescriptor(syntax: string): { file: unknown[] } }).toDescriptor('proto3');
    return set.file.map((file) => Buffer.from(descriptor.FileDescriptorProto.encode(file as protobuf.Message).finish()));
  });
  for (const pkg of REFLECTION_PACKAGES) {
    const root = builtinRoot(reflectionProto(pkg));
    // Without defaults, and with the oneof named, the request says which question it asks.
    server.addService(serviceDefinition(root, `${pkg}.ServerReflection`, { oneofs: true }), {
      ServerReflectionInfo: (call: ServerDuplexStream<Record<string, unknown>, unknown>) => {
        call.on('data', (request: Record<string, unknown>) => {
          const asked = request['message_request'];
          const original_request = request;
          if (asked === 'list_services') {
            call.write({ original_request, list_services_response: { service: [...services, `${pkg}.ServerReflection`].map((name) => ({ name })) } });
          } else if (asked === 'file_containing_symbol' || asked === 'file_by_filename') {
            call.write({ original_request, file_descriptor_response: { file_descriptor_proto: files } });
          } else {
            call.write({ original_request, error_response: { error_code: status.UNIMPLEMENTED, error_message: 'not supported by the sandbox' } });
          }
        });
        call.on('end', () => call.end());
      },
    });
  }
}
