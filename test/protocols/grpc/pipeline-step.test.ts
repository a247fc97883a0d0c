import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConnectorLookup, RestCaller } from '../../../src/pipeline/connectors.js';
import { createStepRegistry } from '../../../src/pipeline/builtins.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import type { PipelineDefinition } from '../../../src/pipeline/schema.js';
import { executeGrpcStep } from '../../../src/pipeline/steps/grpc.js';
import { createGrpcConnector, type GrpcConnector } from '../../../src/protocols/grpc/connector.js';
import { createRestConnector } from '../../../src/protocols/rest/connector.js';
import { startGrpcService, type GrpcService } from '../../../src/sandbox/grpc-service.js';
import { rejectionOf } from './helpers.js';

let service: GrpcService;
let catalog: GrpcConnector;
const rest = createRestConnector({ name: 'users', baseUrl: 'http://127.0.0.1:9' });
const registry: ConnectorLookup = {
  get: async (name) => ({ catalog, users: rest })[name] as unknown as RestCaller,
};
const steps = createStepRegistry();

beforeAll(async () => {
  service = await startGrpcService();
  catalog = createGrpcConnector({ name: 'catalog', target: service.target, tls: false, reflection: true });
});

afterAll(async () => {
  await catalog.disconnect();
  await service.close();
});

function pipeline(config: Record<string, unknown>, inputs: Record<string, unknown> = {}): PipelineDefinition {
  return {
    name: 'grpc-step',
    parameters: { sku: 'lamp-01' },
    steps: [{ id: 'call', type: 'grpc', inputs, config }],
    flow: { start_at: 'call', paths: [] },
    outputs: { result: '{{ steps.call.result }}' },
  } as PipelineDefinition;
}

describe('the grpc pipeline step', () => {
  test('a unary method with a templated request, under output_field', async () => {
    const run = await runPipeline(pipeline({ connector: 'catalog', method: 'GetProduct', request: { sku: '{{ parameters.sku }}' }, output_field: 'product' }), { connectors: registry, steps });
    expect(run.status).toBe('succeeded');
    expect(run.outputs['result']).toEqual({ product: { sku: 'lamp-01', name: 'Desk lamp', region: 'eu', price_cents: '3900', in_stock: true, tags: ['home', 'light'] } });
    expect(run.steps['call']?.attempts).toBe(1);
  });

  test("the step's inputs are part of the request, config.request wins", async () => {
    const { result } = await executeGrpcStep({ limit: 1, region: 'us' }, { connector: 'catalog', method: 'ListProducts', request: { region: 'eu' } }, { registry });
    expect((result as { sku: string }[]).map((p) => p.sku)).toEqual(['lamp-01']);
  });

  test('a server stream is collected into a list', async () => {
    const messages: string[] = [];
    const { result, attempts } = await executeGrpcStep({}, { connector: 'catalog', method: 'ListProducts', request: { region: 'us' } }, { registry, emit: (p) => messages.push(JSON.stringify(p)) });
    expect((result as { sku: string }[]).map((p) => p.sku)).toEqual(['tent-03', 'kite-04']);
    expect(attempts).toBe(1);
    expect(messages).toEqual([JSON.stringify({ type: 'message', message: '2 messages from /sandbox.catalog.v1.Catalog/ListProducts' })]);
  });

  test('a stream longer than max_messages fails the step instead of growing without bound', async () => {
    const error = await rejectionOf(executeGrpcStep({}, { connector: 'catalog', method: 'ListProducts', max_messages: 3 }, { registry, stepId: 'all' }));
    expect(error).toMatchObject({ code: 'STEP', details: { maxMessages: 3 } });
    expect(error.message).toContain('step "all": /sandbox.catalog.v1.Catalog/ListProducts sent more than max_messages (3)');
  });

  test('a gRPC status fails the step with the mapped error', async () => {
    const run = await runPipeline(pipeline({ connector: 'catalog', method: 'GetProduct', request: { sku: 'nope' } }), { connectors: registry, steps });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('GRPC');
    expect(run.error?.message).toContain('NOT_FOUND (5): no product "nope"');
  });

  test('a connector of another protocol is a PIPELINE error naming it', async () => {
    const error = await rejectionOf(executeGrpcStep({}, { connector: 'users', method: 'GetProduct' }, { registry, stepId: 'x' }));
    expect(error).toMatchObject({ code: 'PIPELINE' });
    expect(error.message).toBe('step "x": connector "users" is a rest connector; the grpc step needs one with protocol: grpc');
  });

  test('settings are checked before the run; templated values once resolved', async () => {
    const bad = pipeline({ connector: 'catalog', methd: 'GetProduct', max_messages: 0 });
    await expect(runPipeline(bad, { connectors: registry, steps })).rejects.toMatchObject({ code: 'PIPELINE' });
    const error = await rejectionOf(runPipeline(bad, { connectors: registry, steps }));
    expect(error.message).toContain('config: unknown setting(s) "methd"; check the spelling');
    expect(error.message).toContain('config.method: must name a method');
    expect(error.message).toContain('config.max_messages: must be at least 1');
    const templated = pipeline({ connector: 'catalog', method: 'GetProduct', request: '{{ parameters.sku }}' });
    const run = await runPipeline(templated, { connectors: registry, steps });
    expect(run.error).toMatchObject({ code: 'PIPELINE' });
    expect(run.error?.message).toContain('request: must be the request message as an object');
  });

  test('a request that does not match the message type fails before anything is sent', async () => {
    const error = await rejectionOf(executeGrpcStep({}, { connector: 'catalog', method: 'GetProduct', request: { skew: 'x' } }, { registry }));
    expect(error).toMatchObject({ code: 'PROTO', details: { field: 'request.skew' } });
  });
});
