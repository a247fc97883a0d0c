import protobuf from 'protobufjs';

/**
 * The standard health checking service (`grpc.health.v1`), the same definition as
 * `protos/grpc/health/v1/health.proto`; carried in the library so `healthCheck()`
 * needs no file on disk.
 *
 * @example
 * ```ts
 * import { HEALTH_PROTO } from 'ia-connectors';
 * import { writeFile } from 'node:fs/promises';
 * await writeFile('health.proto', HEALTH_PROTO);
 * ```
 */
export const HEALTH_PROTO = `syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
  rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
}
`;

/**
 * The messages of gRPC server reflection (`grpc/reflection/v1/reflection.proto`) in
 * package `pkg`: `grpc.reflection.v1`, or `grpc.reflection.v1alpha` for older servers.
 *
 * @example
 * ```ts
 * import { reflectionProto } from './builtin-protos.js';
 * reflectionProto('grpc.reflection.v1alpha').includes('ServerReflectionInfo'); // true
 * ```
 */
export function reflectionProto(pkg: string): string {
  return `syntax = "proto3";
package ${pkg};
service ServerReflection {
  rpc ServerReflectionInfo(stream ServerReflectionRequest) returns (stream ServerReflectionResponse);
}
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    ExtensionRequest file_containing_extension = 5;
    string all_extension_numbers_of_type = 6;
    string list_services = 7;
  }
}
message ExtensionRequest { string containing_type = 1; int32 extension_number = 2; }
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ExtensionNumberResponse all_extension_numbers_response = 5;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ExtensionNumberResponse { string base_type_name = 1; repeated int32 extension_number = 2; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ServiceResponse { string name = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
`;
}

/**
 * The package names of server reflection, newest first.
 *
 * @example
 * ```ts
 * import { REFLECTION_PACKAGES } from './builtin-protos.js';
 * REFLECTION_PACKAGES[0]; // 'grpc.reflection.v1'
 * ```
 */
export const REFLECTION_PACKAGES = ['grpc.reflection.v1', 'grpc.reflection.v1alpha'] as const;

const roots = new Map<string, protobuf.Root>();

/**
 * A parsed, resolved root for one of the built-in definitions, made once.
 *
 * @example
 * ```ts
 * import { HEALTH_PROTO, builtinRoot } from './builtin-protos.js';
 * builtinRoot(HEALTH_PROTO).lookupService('grpc.health.v1.Health');
 * ```
 */
export function builtinRoot(source: string): protobuf.Root {
  let root = roots.get(source);
  if (!root) {
    root = protobuf.parse(source, new protobuf.Root(), { keepCase: true }).root;
    root.resolveAll();
    roots.set(source, root);
  }
  return root;
}
