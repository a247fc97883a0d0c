import type { ServiceDefinition } from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import type { GrpcDecodeOptions } from './config-parts.js';
import type { GrpcCallKind, GrpcMethodInfo } from './types.js';
import { messageChecker, type MessageProblem } from './validate.js';

/**
 * A method ready to call: its facts, the (de)serializers grpc-js needs, and the check
 * of its request messages when the message type is known.
 *
 * @example
 * ```ts
 * import type { GrpcMethod } from './methods.js';
 * const isStreaming = (m: GrpcMethod) => m.kind !== 'unary';
 * ```
 */
export interface GrpcMethod extends GrpcMethodInfo {
  readonly serialize: (value: unknown) => Buffer;
  readonly deserialize: (bytes: Buffer) => unknown;
  readonly check: ((value: unknown, path: string) => MessageProblem | undefined) | undefined;
}

const IDEMPOTENT_LEVELS = new Set(['IDEMPOTENT', 'NO_SIDE_EFFECTS']);

/**
 * Every method of every service in `root`, with encoders and decoders made once.
 * A method is idempotent when its proto says `option idempotency_level = IDEMPOTENT`
 * (or `NO_SIDE_EFFECTS`).
 *
 * @example
 * ```ts
 * import protobuf from 'protobufjs';
 * import { methodsOfRoot } from './methods.js';
 * const root = protobuf.parse('syntax = "proto3"; package p; message M {} service S { rpc Do (M) returns (M); }').root;
 * methodsOfRoot(root, { longs: 'string', enums: 'string', bytes: 'buffer', defaults: true }).map((m) => m.path); // ['/p.S/Do']
 * ```
 */
export function methodsOfRoot(root: protobuf.Root, decode: GrpcDecodeOptions): GrpcMethod[] {
  root.resolveAll();
  const conversion: protobuf.IConversionOptions = {
    longs: decode.longs === 'number' ? Number : String,
    enums: decode.enums === 'string' ? String : undefined,
    bytes: decode.bytes === 'base64' ? String : undefined,
    defaults: decode.defaults,
    arrays: decode.defaults,
    objects: decode.defaults,
    oneofs: true,
  };
  const methods: GrpcMethod[] = [];
  for (const service of servicesOf(root)) {
    const serviceName = service.fullName.slice(1);
    for (const method of service.methodsArray) {
      const request = method.resolvedRequestType as protobuf.Type;
      const response = method.resolvedResponseType as protobuf.Type;
      const level = (method.options as Record<string, unknown> | undefined)?.['idempotency_level'];
      methods.push({
        path: `/${serviceName}/${method.name}`,
        service: serviceName,
        name: method.name,
        kind: kindOf(Boolean(method.requestStream), Boolean(method.responseStream)),
        idempotent: typeof level === 'string' && IDEMPOTENT_LEVELS.has(level),
        requestType: request.fullName.slice(1),
        responseType: response.fullName.slice(1),
        serialize: (value) => request.encode(request.fromObject(value as Record<string, unknown>)).finish() as Buffer,
        deserialize: (bytes) => response.toObject(response.decode(bytes), conversion),
        check: messageChecker(request),
      });
    }
  }
  return methods;
}

/**
 * The methods of a service definition from generated code or
 * `grpc.loadPackageDefinition(...)`: their paths and (de)serializers are used as
 * given. Requests cannot be checked before sending, since the definition does not
 * carry a usable message type.
 *
 * @example
 * ```ts
 * import type { ServiceDefinition } from '@grpc/grpc-js';
 * import { methodsOfDefinition } from './methods.js';
 * declare const definition: ServiceDefinition;
 * methodsOfDefinition(definition).map((m) => m.name);
 * ```
 */
export function methodsOfDefinition(definition: ServiceDefinition): GrpcMethod[] {
  return Object.values(definition).map((method) => {
    const path = method.path;
    const slash = path.lastIndexOf('/');
    const options = (method as { options?: { idempotency_level?: unknown } }).options;
    return {
      path,
      service: path.slice(1, slash),
      name: path.slice(slash + 1),
      kind: kindOf(method.requestStream, method.responseStream),
      idempotent: typeof options?.idempotency_level === 'string' && IDEMPOTENT_LEVELS.has(options.idempotency_level),
      requestType: undefined,
      responseType: undefined,
      serialize: method.requestSerialize as (value: unknown) => Buffer,
      deserialize: method.responseDeserialize as (bytes: Buffer) => unknown,
      check: undefined,
    };
  });
}

function kindOf(requestStream: boolean, responseStream: boolean): GrpcCallKind {
  if (requestStream) return responseStream ? 'bidi' : 'clientStream';
  return responseStream ? 'serverStream' : 'unary';
}

function* servicesOf(namespace: protobuf.NamespaceBase): Generator<protobuf.Service> {
  for (const object of namespace.nestedArray) {
    if (object instanceof protobuf.Service) yield object;
    else if (object instanceof protobuf.Namespace || object instanceof protobuf.Type) yield* servicesOf(object);
  }
}
