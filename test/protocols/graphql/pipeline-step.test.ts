import { describe, expect, test } from 'vitest';
import type { ConnectorLookup } from '../../../src/pipeline/connectors.js';
import { createStepRegistry } from '../../../src/pipeline/builtins.js';
import { runPipeline } from '../../../src/pipeline/run.js';
import type { PipelineEvent } from '../../../src/pipeline/run-types.js';
import { executeGraphQLStep } from '../../../src/pipeline/steps/graphql.js';
import { createRestConnector } from '../../../src/protocols/rest/connector.js';
import { rejectionOf, useGraphQL } from './helpers.js';

const gql = useGraphQL();

function lookup(connectors: Record<string, unknown>): ConnectorLookup {
  return { get: async (name) => connectors[name] as Awaited<ReturnType<ConnectorLookup['get']>> };
}

const steps = () => createStepRegistry();

function pipeline(config: Record<string, unknown>, inputs: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: 'graphql step',
    parameters: { id: '2' },
    steps: [{ id: 'load', type: 'graphql', inputs, config: { connector: 'people', ...config } }],
    flow: { start_at: 'load', transitions: [] },
    outputs: { result: '{{ steps.load.result }}' },
  });
}

describe('the graphql pipeline step', () => {
  test('runs the query with templated variables and returns the value at data_path under output_field', async () => {
    const { api } = await gql.start();
    const result = await runPipeline(
      pipeline({ query: 'query U($id: ID!) { user(id: $id) { name posts(first: 1) { title } } }', variables: { id: '{{ parameters.id }}' }, data_path: 'user.posts[0]', output_field: 'post' }),
      { connectors: lookup({ people: api }), steps: steps() },
    );
    expect(result.error).toBeUndefined();
    expect(result.outputs).toEqual({ result: { post: { title: 'Post 1 of Grace' } } });
    expect(result.steps['load']).toMatchObject({ status: 'succeeded', attempts: 1 });
  });

  test('step inputs are variables too', async () => {
    const { api } = await gql.start();
    const { result } = await executeGraphQLStep({ text: 'hi' }, { connector: 'people', query: 'query E($text: String!) { echo(text: $text) }' }, { registry: lookup({ people: api }) });
    expect(result).toEqual({ echo: 'hi' });
  });

  test('a value that looks like GraphQL stays a variable value', async () => {
    const { api } = await gql.start();
    const run = await runPipeline(pipeline({ query: 'query E($t: String!) { echo(text: $t) }', variables: { t: '{{ pipeline_input.t }}' }, data_path: 'echo' }), {
      connectors: lookup({ people: api }),
      steps: steps(),
      input: { t: '") { users { secret } } #' },
    });
    expect(run.outputs).toEqual({ result: '") { users { secret } } #' });
  });

  test('a template inside the query is refused before the run: values must go through variables', async () => {
    const error = await rejectionOf(runPipeline(pipeline({ query: 'query { user(id: "{{ parameters.id }}") { name } }' }), { connectors: lookup({}), steps: steps() }));
    expect(error.code).toBe('PIPELINE');
    expect(error.message).toContain('step "load": config.query contains a {{ template }}; declare a variable ($name)');
  });

  test('a syntax error in the query is GRAPHQL_SYNTAX naming the step', async () => {
    const error = await rejectionOf(runPipeline(pipeline({ query: 'query { user(id: 1 { name } }' }), { connectors: lookup({}), steps: steps() }));
    expect(error.code).toBe('GRAPHQL_SYNTAX');
    expect(error.message).toContain('step "load": config.query: GraphQL syntax error at line 1, column 20');
  });

  test('errors in the result fail the step with GRAPHQL detail; allow_partial keeps the data and reports each error', async () => {
    const { api } = await gql.start();
    const failed = await runPipeline(pipeline({ query: '{ hello broken }' }), { connectors: lookup({ people: api }), steps: steps() });
    expect(failed.error).toMatchObject({ code: 'STEP', stepId: 'load' });
    expect(failed.error?.message).toContain('"broken resolver" at broken');
    expect(failed.error?.message).toContain('set allow_partial: true');
    const events: PipelineEvent[] = [];
    const partial = await runPipeline(pipeline({ query: '{ hello broken }', allow_partial: true }), {
      connectors: lookup({ people: api }),
      steps: steps(),
      onEvent: (e) => events.push(e),
    });
    expect(partial.outputs).toEqual({ result: { hello: 'Hello, world!', broken: null } });
    expect(events).toContainEqual({ type: 'message', stepId: 'load', message: 'partial result: broken resolver at broken' });
  });

  test('a data_path that does not match says what the data holds', async () => {
    const { api } = await gql.start();
    const error = await rejectionOf(executeGraphQLStep({}, { connector: 'people', query: '{ hello }', data_path: 'user.name' }, { registry: lookup({ people: api }) }));
    expect(error.code).toBe('STEP');
    expect(error.message).toContain('data_path "user.name" does not match the result');
    expect(error.message).toContain('its fields are: hello');
  });

  test('a connector of another protocol is a typed error naming it', async () => {
    const rest = createRestConnector({ name: 'people', baseUrl: 'http://127.0.0.1:9' });
    const error = await rejectionOf(executeGraphQLStep({}, { connector: 'people', query: '{ hello }' }, { registry: lookup({ people: rest }) }));
    expect(error.code).toBe('PIPELINE');
    expect(error.message).toContain('connector "people" is a rest connector; the graphql step needs one with protocol: graphql');
  });

  test('unknown settings are named before the run', async () => {
    const error = await rejectionOf(runPipeline(pipeline({ query: '{ hello }', output: 'x' }), { connectors: lookup({}), steps: steps() }));
    expect(error.code).toBe('PIPELINE');
    expect(error.message).toContain('step "load": invalid graphql settings: config: unknown setting(s) "output"');
  });
});
