// The gRPC benchmark server: one unary Echo method on grpc-js, plaintext on loopback.
import { URL, fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { announce } from './announce.mjs';

const PROTO = fileURLToPath(new URL('./echo.proto', import.meta.url));
const definition = protoLoader.loadSync(PROTO, { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true });
const bench = grpc.loadPackageDefinition(definition).bench;

const server = new grpc.Server();
server.addService(bench.Echo.service, {
  Echo: (call, callback) => callback(null, call.request),
});
server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  announce({ port, proto: PROTO }, () => new Promise((resolve) => server.tryShutdown(() => resolve())));
});
