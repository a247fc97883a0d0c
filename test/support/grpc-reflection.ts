import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

interface ReflectionRequest {
  file_by_filename?: string;
  file_containing_symbol?: string;
  list_services?: string;
  message_request?: string;
}

/**
 * Adds gRPC server reflection (v1 or v1alpha, whichever `reflectionProto` declares)
 * to `server`, answering from `served`: proto-loader's package definition, whose
 * messages carry the serialized file descriptors. Deliberately built from
 * proto-loader alone, so the connector's reflection client is tested against an
 * implementation that shares none of its code. Requests for one file or symbol are
 * answered with every file, which the protocol allows. `onCall` sees each reflection
 * stream's path and metadata.
 *
 * @example
 * ```ts
 * await addReflection(server, 'fixtures/reflection.proto', definition);
 * ```
 */
export async function addReflection(
  server: grpc.Server,
  reflectionProto: string,
  served: protoLoader.PackageDefinition,
  onCall: (path: string, metadata: grpc.Metadata) => void = () => undefined,
): Promise<void> {
  const definition = await protoLoader.load(reflectionProto, { keepCase: true, oneofs: true });
  const services = Object.keys(served).filter((name) => isService(served[name]));
  const files = descriptorFiles(served);
  const symbols = new Set(Object.keys(served));
  const name = Object.keys(definition).find((key) => key.endsWith('.ServerReflection')) as string;
  server.addService(definition[name] as grpc.ServiceDefinition, {
    ServerReflectionInfo: (call: grpc.ServerDuplexStream<ReflectionRequest, unknown>) => {
      onCall(`/${name}/ServerReflectionInfo`, call.metadata);
      call.on('data', (request: ReflectionRequest) => {
        const original = { ...request };
        if (request.list_services !== undefined && request.message_request === 'list_services') {
          call.write({ original_request: original, list_services_response: { service: [...services, name].map((service) => ({ name: service })) } });
        } else if (request.file_containing_symbol !== undefined && request.message_request === 'file_containing_symbol') {
          call.write(symbols.has(request.file_containing_symbol) ? files_(original, files) : notFound(original, `symbol ${request.file_containing_symbol}`));
        } else if (request.file_by_filename !== undefined && request.message_request === 'file_by_filename') {
          call.write(files.has(request.file_by_filename) ? files_(original, files) : notFound(original, `file ${request.file_by_filename}`));
        } else {
          call.write({ original_request: original, error_response: { error_code: grpc.status.UNIMPLEMENTED, error_message: 'not supported' } });
        }
      });
      call.on('end', () => call.end());
    },
  });
}

function descriptorFiles(served: protoLoader.PackageDefinition): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const value of Object.values(served)) {
    const protos = (value as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos ?? [];
    for (const bytes of protos) files.set(fileName(bytes), bytes);
  }
  return files;
}

/** Field 1 of a FileDescriptorProto is its name: read it straight off the wire. */
function fileName(bytes: Buffer): string {
  let offset = 0;
  while (offset < bytes.length) {
    const tag = bytes[offset++] as number;
    let length = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = bytes[offset++] as number;
      length |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80);
    if (tag === 0x0a) return bytes.subarray(offset, offset + length).toString('utf8');
    if ((tag & 7) !== 2) throw new Error('unexpected field before the file name');
    offset += length;
  }
  throw new Error('file descriptor without a name');
}

function files_(original: ReflectionRequest, files: Map<string, Buffer>): unknown {
  return { original_request: original, file_descriptor_response: { file_descriptor_proto: [...files.values()] } };
}

function notFound(original: ReflectionRequest, what: string): unknown {
  return { original_request: original, error_response: { error_code: grpc.status.NOT_FOUND, error_message: `${what} not found` } };
}

function isService(value: unknown): boolean {
  const first = typeof value === 'object' && value !== null ? Object.values(value)[0] : undefined;
  return typeof first === 'object' && first !== null && typeof (first as { path?: unknown }).path === 'string';
}
