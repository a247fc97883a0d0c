import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { missingExports } from '../lib/library.mjs';
import { BENCH_TOKEN, ITEM } from '../lib/payloads.mjs';
import { fullChainOptions } from './http-connector.mjs';

const LOADER_OPTIONS = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true };

/**
 * The gRPC baseline: a grpc-js client stub calling the unary `bench.Echo/Echo`
 * on one HTTP/2 channel, with the same `authorization` metadata the connector's
 * bearer auth sends.
 *
 * @example
 * ```js
 * import { rawGrpc } from './grpc.mjs';
 * const { call } = await rawGrpc.create({ grpcTarget: '127.0.0.1:50051', proto: '/path/echo.proto' });
 * ```
 */
export const rawGrpc = {
  key: 'grpc-js',
  label: 'grpc-js unary (baseline)',
  notes: 'generated stub, one channel',
  async create({ grpcTarget, proto }) {
    const { bench } = grpc.loadPackageDefinition(protoLoader.loadSync(proto, LOADER_OPTIONS));
    const client = new bench.Echo(grpcTarget, grpc.credentials.createInsecure());
    await new Promise((resolve, reject) => client.waitForReady(Date.now() + 5000, (error) => (error ? reject(error) : resolve())));
    const metadata = new grpc.Metadata();
    metadata.set('authorization', `Bearer ${BENCH_TOKEN}`);
    const call = () => new Promise((resolve, reject) => client.Echo(ITEM, metadata, (error, reply) => (error ? reject(error) : resolve(reply))));
    return { call, close: async () => client.close() };
  },
};

/**
 * The same unary call through the gRPC connector with the full default chain
 * (bearer auth as metadata, retry, breaker, rate limit, attempt and total
 * timeouts) and its default request validation.
 *
 * @example
 * ```js
 * import { connectorGrpc } from './grpc.mjs';
 * const { call } = await connectorGrpc.create({ lib, grpcTarget: '127.0.0.1:50051', proto: '/path/echo.proto' });
 * ```
 */
export const connectorGrpc = {
  key: 'connector-full',
  label: 'gRPC connector, full chain',
  notes: 'execute({ method, request }), requests validated (default)',
  unavailable: (lib) => missingExports(lib, ['createGrpcConnector']),
  async create({ lib, grpcTarget, proto }) {
    const { baseUrl: _unused, ...policies } = fullChainOptions('http://127.0.0.1');
    const api = lib.createGrpcConnector({ ...policies, name: 'bench_grpc', target: grpcTarget, tls: false, protoFiles: [proto], service: 'bench.Echo' });
    await api.connect();
    const request = { method: 'Echo', request: ITEM };
    const call = () => api.execute(request).then((res) => res.body);
    return { call, close: () => api.disconnect() };
  },
};
