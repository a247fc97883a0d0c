import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { resolveSecretRefs } from '../../../src/auth/secret-ref.js';
import { replayConfig } from '../../../src/observability/cassette/replay-config.js';
import { Cassette, type CassetteMode } from '../../../src/observability/cassette/store.js';
import { createStepRegistry } from '../../../src/pipeline/builtins.js';
import type { ConnectorLookup } from '../../../src/pipeline/connectors.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import type { RunResult } from '../../../src/pipeline/run-types.js';
import { loadConnectorsFile } from '../../../src/registry/load.js';
import { createConnector, type AnyConnector, type ConnectorConfig } from '../../../src/registry/protocols.js';
import { startSandbox, type Sandbox } from '../../../src/sandbox/sandbox.js';
import { filesIn, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();
const example = (name: string): string => new URL(`../../../examples/${name}`, import.meta.url).pathname;

/** The file's connectors, moved to the sandbox's random ports (the file names the fixed ones `ia-connectors sandbox` uses). */
async function sandboxConnectors(sandbox: Sandbox): Promise<ConnectorConfig[]> {
  const { connectors } = await loadConnectorsFile(example('sandbox.connectors.yaml'));
  const live = new Map(sandbox.connectorsConfig.connectors.map((c) => [c.name, c as Record<string, unknown>]));
  return connectors.map((config) => {
    const here = live.get(config.name) ?? {};
    const moved: Record<string, unknown> = { ...config };
    for (const field of ['baseUrl', 'target']) if (field in here) moved[field] = here[field];
    const auth = moved['auth'] as Record<string, unknown> | undefined;
    if (auth?.['tokenUrl'] !== undefined) moved['auth'] = { ...auth, tokenUrl: (here['auth'] as Record<string, unknown>)['tokenUrl'] };
    return moved as ConnectorConfig;
  });
}

/** Runs the demo pipeline through connectors the registry's way: `createConnector(config, { cassette })`, connected on first use. */
async function runDemo(mode: CassetteMode, dir: string, configs: readonly ConnectorConfig[], env: Record<string, string>): Promise<RunResult> {
  const cassette = new Cassette({ dir, mode });
  const connectors = new Map<string, AnyConnector>();
  for (const config of configs) {
    // Recording resolves the secrets as the CLI does; a replay needs none.
    const ready = mode === 'replay' ? replayConfig(config) : ({ ...config, auth: await resolveSecretRefs(config.auth, { env, field: 'auth' }) } as ConnectorConfig);
    connectors.set(config.name, createConnector(ready, { cassette }));
  }
  const lookup: ConnectorLookup = {
    get: async (name) => {
      const connector = connectors.get(name) as AnyConnector;
      await connector.connect();
      return connector as Awaited<ReturnType<ConnectorLookup['get']>>;
    },
  };
  try {
    return await runPipeline(await readFile(example('demo.pipeline.json'), 'utf8'), { connectors: lookup, steps: createStepRegistry() });
  } finally {
    await Promise.all([...connectors.values()].map((c) => c.disconnect()));
    await cassette.close();
  }
}

const statuses = (run: RunResult) => Object.fromEntries(Object.entries(run.steps).map(([id, step]) => [id, [step.status, step.attempts]]));

describe('the demo pipeline on cassettes', () => {
  it('records a run against the sandbox and replays it with the sandbox stopped: same outputs, same steps', async () => {
    const dir = await tempDir();
    const sandbox = await startSandbox({ rateLimit: { limit: 50, windowMs: 1000 } });
    const configs = await sandboxConnectors(sandbox);
    expect(configs.map((c) => c.protocol)).toEqual(['rest', 'rest', 'rest', 'graphql', 'grpc', 'websocket']);

    const recorded = await runDemo('record', dir, configs, sandbox.env);
    await sandbox.close();
    expect(recorded.error).toBeUndefined();
    expect(recorded.outputs).toMatchObject({ service: 'recovered', product: 'Desk lamp', sum: 42 });
    expect(recorded.outputs['last_price']).toEqual(expect.any(Number));
    expect(recorded.steps['warm_up']?.attempts).toBe(3);

    const replayed = await runDemo('replay', dir, configs, {});
    expect(replayed.status).toBe('succeeded');
    expect(replayed.outputs).toEqual(recorded.outputs);
    expect(statuses(replayed)).toEqual(statuses(recorded));

    const files = await filesIn(dir);
    expect(Object.keys(files).sort()).toEqual(['books', 'catalog', 'catalog_grpc', 'events', 'pricing', 'users_api'].map((n) => `${n}.cassette.json`));
    const text = Object.values(files).join('\n');
    for (const [name, secret] of Object.entries(sandbox.credentials)) if (name !== 'clientId') expect(text).not.toContain(secret);
  }, 20_000);
});
