import { describe, expect, test } from 'vitest';
import type { WebSocket } from 'ws';
import { ConnectorError } from '../../../src/core/errors.js';
import type { ConnectorLookup, PipelineDefinition } from '../../../src/pipeline/index.js';
import { StepRegistry } from '../../../src/pipeline/registry.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import { validatePipeline } from '../../../src/pipeline/validate.js';
import { websocketHandler, websocketStepOptions } from '../../../src/pipeline/steps/websocket.js';
import { createRestConnector } from '../../../src/protocols/rest/connector.js';
import type { WebSocketConnector } from '../../../src/protocols/websocket/connector.js';
import type { ReceivedMessage } from '../../support/ws-server.js';
import { driveUntil, useFakeClock, useWsFixture } from './helpers.js';

const fixture = useWsFixture();
const steps = new StepRegistry().register('websocket', websocketHandler, websocketStepOptions);

/** A small market service: subscriptions get ticks, `{ id, method: 'add' }` gets a sum, anything else an echo. */
function market(message: ReceivedMessage, socket: WebSocket): void {
  const body = message.json as { type?: string; topic?: string; count?: number; id?: number; method?: string; params?: number[] };
  if (body?.type === 'subscribe') {
    for (let seq = 1; seq <= (body.count ?? 3); seq++) socket.send(JSON.stringify({ type: 'tick', topic: body.topic, seq }));
    socket.send(JSON.stringify({ type: 'done', topic: body.topic }));
  } else if (body?.method === 'add') {
    socket.send(JSON.stringify({ id: body.id, result: (body.params ?? []).reduce((a, b) => a + Number(b), 0) }));
  } else if (body?.method === 'slow') {
    // never answers
  } else {
    socket.send(message.data);
  }
}

function lookup(connectors: Record<string, unknown>): ConnectorLookup {
  return {
    get: async (name) => {
      if (!(name in connectors)) throw new ConnectorError('UNKNOWN_CONNECTOR', `no connector named "${name}"`);
      return connectors[name] as never;
    },
  };
}

function pipeline(stepList: { id: string; config: Record<string, unknown> }[], parameters: Record<string, unknown> = {}): PipelineDefinition {
  return {
    name: 'websocket step test',
    parameters,
    steps: stepList.map((s) => ({ id: s.id, type: 'websocket', config: s.config })),
    flow: { start_at: stepList[0]?.id ?? '', paths: stepList.slice(1).map((s, i) => ({ from: stepList[i]?.id ?? '', to: s.id })) },
  } as unknown as PipelineDefinition;
}

async function marketConnector(): Promise<WebSocketConnector> {
  const { ws } = await fixture.start({}, { onMessage: market });
  return ws;
}

describe('the websocket pipeline step', () => {
  test('sends a templated message, collects N replies into output_field, then a request step reads them', async () => {
    const ws = await marketConnector();
    const run = await runPipeline(
      pipeline(
        [
          { id: 'ticks', config: { connector: 'market', message: { type: 'subscribe', topic: '{{ parameters.topic }}' }, count: 3, output_field: 'ticks' } },
          { id: 'sum', config: { connector: 'market', message: { method: 'add', params: ['{{ ticks.ticks[2].seq }}', 10] }, request: true } },
        ],
        { topic: 'ACME' },
      ),
      { connectors: lookup({ market: ws }), steps },
    );
    expect(run.status).toBe('succeeded');
    expect(run.steps['ticks']?.result).toEqual({
      ticks: [1, 2, 3].map((seq) => ({ type: 'tick', topic: 'ACME', seq })),
    });
    expect(run.steps['sum']?.result).toEqual({ id: 1, result: 13 });
  });

  test('collects until a condition holds, the matching message included', async () => {
    const ws = await marketConnector();
    const run = await runPipeline(
      pipeline([{ id: 'all', config: { connector: 'market', message: { type: 'subscribe', topic: 'X', count: 5 }, until: { source: 'message.type', operator: 'equals', value: 'done' } } }]),
      { connectors: lookup({ market: ws }), steps },
    );
    expect(run.status).toBe('succeeded');
    const result = run.steps['all']?.result as { type: string }[];
    expect(result.map((m) => m.type)).toEqual(['tick', 'tick', 'tick', 'tick', 'tick', 'done']);
  });

  test('a timeout fails the step with TIMEOUT, or returns what arrived with on_timeout: "return"', async () => {
    useFakeClock();
    const ws = await marketConnector();
    const failing = await settle(
      runPipeline(pipeline([{ id: 'wait', config: { connector: 'market', message: { type: 'subscribe', topic: 'X', count: 1 }, count: 5, timeout: 50 } }]), {
        connectors: lookup({ market: ws }),
        steps,
      }),
    );
    expect(failing.status).toBe('failed');
    expect(failing.error?.code).toBe('TIMEOUT');
    expect(failing.error?.message).toMatch(/got 2 message\(s\) from connector "market" in 50 ms, waiting for 5 message\(s\)/);
    const partial = await settle(
      runPipeline(pipeline([{ id: 'wait', config: { connector: 'market', message: { type: 'subscribe', topic: 'Y', count: 1 }, count: 5, timeout: 50, on_timeout: 'return' } }]), {
        connectors: lookup({ market: ws }),
        steps,
      }),
    );
    expect(partial.status).toBe('succeeded');
    expect(partial.steps['wait']?.result).toEqual([{ type: 'tick', topic: 'Y', seq: 1 }, { type: 'done', topic: 'Y' }]);
  });

  test('a request that gets no reply in time is a TIMEOUT', async () => {
    useFakeClock();
    const ws = await marketConnector();
    const run = await settle(
      runPipeline(pipeline([{ id: 'r', config: { connector: 'market', message: { method: 'slow' }, request: true, timeout: 30 } }]), {
        connectors: lookup({ market: ws }),
        steps,
      }),
    );
    expect(run.error?.code).toBe('TIMEOUT');
  });

  test('a connector of another protocol is a PIPELINE error naming it', async () => {
    const rest = createRestConnector({ name: 'users', baseUrl: 'http://127.0.0.1:9' });
    const run = await runPipeline(pipeline([{ id: 'x', config: { connector: 'users', message: 'hi' } }]), { connectors: lookup({ users: rest }), steps });
    expect(run.error?.code).toBe('PIPELINE');
    expect(run.error?.message).toMatch(/connector "users" is a rest connector; the websocket step needs a connector with protocol: websocket/);
  });

  test('bad settings are refused before the run, templated values only once resolved', () => {
    const bad = pipeline([{ id: 'x', config: { connector: 'market', count: 0, colour: 'red', request: true, until: { source: 'message.a', operator: 'exists' } } }]);
    expect(() => validatePipeline(bad, { steps })).toThrow(
      /config.count: must be at least 1.*unknown setting\(s\) "colour".*config.message: request: true needs a message to send.*config.until: applies to collecting messages/,
    );
    const templated = pipeline([{ id: 'x', config: { connector: 'market', count: '{{ parameters.n }}' } }], { n: 2 });
    expect(() => validatePipeline(templated, { steps })).not.toThrow();
  });
});

/** Runs the fake clock until `run` settles. */
async function settle<T>(run: Promise<T>): Promise<T> {
  let done = false;
  run.then(
    () => (done = true),
    () => (done = true),
  );
  await driveUntil(() => done, 'the run', 5);
  return run;
}
