import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import { afterEach } from 'vitest';
import { createGrpcConnector, type GrpcConnector, type GrpcConnectorExtras } from '../../../src/protocols/grpc/connector.js';
import type { GrpcConnectorOptions } from '../../../src/protocols/grpc/config.js';
import { startGrpcServer, type GrpcBehaviour, type GrpcTestServer, type StartGrpcServerOptions } from '../../support/grpc-server.js';

export const fixture = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
export const ECHO_PROTO = fixture('echo.proto');
export const INCLUDE = fixture('include');
export const HEALTH_PROTO_FILE = fileURLToPath(new URL('../../../protos/grpc/health/v1/health.proto', import.meta.url));
export const REFLECTION_PROTO_FILE = fixture('reflection/reflection.proto');

/** The echo service's default answers: enough for the tests that do not script their own. */
export const echoBehaviours: Record<string, GrpcBehaviour> = {
  Say: (call: grpc.ServerUnaryCall<Record<string, unknown>, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    const request = call.request;
    const headers = new grpc.Metadata();
    headers.set('x-header', 'hello');
    const id = call.metadata.get('x-request-id')[0];
    if (id !== undefined) headers.set('x-echo-request-id', String(id));
    call.sendMetadata(headers);
    const trailers = new grpc.Metadata();
    trailers.set('x-trailer', 'done');
    const text = String(request['text'] ?? '');
    callback(null, { text: text.repeat(Math.max(1, Number(request['times'] ?? 1))), big: String(request['big'] ?? '0'), color: request['color'], counts: request['counts'] }, trailers);
  },
  Lookup: (call: grpc.ServerUnaryCall<{ key: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => callback(null, { text: `found ${call.request.key}` }),
  Count: (call: grpc.ServerWritableStream<{ to: number; interval_ms: number }, unknown>) => {
    let n = 0;
    const next = (): void => {
      if (call.cancelled) return;
      if (n >= call.request.to) return void call.end();
      call.write({ n: ++n });
      if (call.request.interval_ms > 0) setTimeout(next, call.request.interval_ms);
      else setImmediate(next);
    };
    next();
  },
  Sum: (call: grpc.ServerReadableStream<{ value: number }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
    let total = 0;
    let count = 0;
    call.on('data', (m: { value: number }) => {
      total += m.value;
      count += 1;
    });
    call.on('end', () => callback(null, { total, count }));
  },
  Chat: (call: grpc.ServerDuplexStream<{ text: string }, unknown>) => {
    call.on('data', (m: { text: string }) => call.write({ text: `echo: ${m.text}` }));
    call.on('end', () => call.end());
  },
};

/** Starts the echo server and connectors pointing at it; everything is closed after each test. */
export function useGrpcFixture(): {
  start: (
    options?: Partial<GrpcConnectorOptions>,
    server?: Partial<StartGrpcServerOptions>,
    extras?: GrpcConnectorExtras,
  ) => Promise<{ server: GrpcTestServer; api: GrpcConnector }>;
  connector: (options: GrpcConnectorOptions, extras?: GrpcConnectorExtras) => GrpcConnector;
  server: (options?: Partial<StartGrpcServerOptions>) => Promise<GrpcTestServer>;
} {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.allSettled(cleanups.splice(0).map((c) => c()));
  });
  const server = async (options: Partial<StartGrpcServerOptions> = {}): Promise<GrpcTestServer> => {
    const started = await startGrpcServer({ protoFiles: [ECHO_PROTO], includeDirs: [INCLUDE], behaviours: echoBehaviours, ...options });
    cleanups.push(() => started.close());
    return started;
  };
  const connector = (options: GrpcConnectorOptions, extras?: GrpcConnectorExtras): GrpcConnector => {
    const api = createGrpcConnector(options, extras);
    cleanups.unshift(() => api.disconnect());
    return api;
  };
  return {
    server,
    connector,
    start: async (options = {}, serverOptions = {}, extras) => {
      const started = await server(serverOptions);
      const api = connector({ name: 'echo', target: started.target, tls: false, protoFiles: [ECHO_PROTO], includeDirs: [INCLUDE], ...options } as GrpcConnectorOptions, extras);
      return { server: started, api };
    },
  };
}

/** Resolves with the error a promise rejects with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error & { code?: string; details: Record<string, unknown>; retryable?: boolean; grpcCode?: number }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string; details: Record<string, unknown> };
  }
  throw new Error('expected the promise to reject, but it resolved');
}

/** Waits on real event-loop turns until `condition` holds. */
export async function eventually(condition: () => boolean, what: string, turns = 2000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}
