import { describe, expect, it } from 'vitest';
import { runPipeline, type ConnectorLookup } from '../../src/index.js';

describe('api_call against a connector of another protocol', () => {
  it('fails the step with a PIPELINE error that names the step type to use', async () => {
    const sent: unknown[] = [];
    const socketConnector = { config: { protocol: 'websocket' }, execute: async (request: unknown) => sent.push(request) };
    const connectors = { get: async () => socketConnector } as unknown as ConnectorLookup;
    const pipeline = {
      name: 'mismatch',
      steps: [{ id: 'call', type: 'api_call', config: { connector: 'events', endpoint: '/x' } }],
      flow: { start_at: 'call', paths: [] },
    };
    const result = await runPipeline(pipeline, { connectors });
    expect(result.status).toBe('failed');
    expect(result.steps.call?.error).toMatchObject({ code: 'PIPELINE', message: expect.stringMatching(/websocket connector; api_call needs a REST connector — use a websocket step/) });
    expect(sent).toEqual([]);
  });
});
