import { buildClientSchema, getIntrospectionQuery, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { ConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';
import type { GraphQLOperationCall } from './call.js';
import { prepareDocument } from './document.js';
import type { GraphQLResponse } from './result.js';
import type { GraphQLChain } from './transport.js';

let call: GraphQLOperationCall | undefined;

/**
 * Fetches the schema by one introspection query through the connector's chain (auth,
 * retry and timeouts apply). A server that refuses introspection yields a `GRAPHQL`
 * error saying how to go on without it.
 *
 * @example
 * ```ts
 * import { introspect, Redactor, type GraphQLChain } from 'ia-connectors';
 * declare const chain: GraphQLChain;
 * const schema = await introspect(chain, new Redactor());
 * ```
 */
export async function introspect(chain: GraphQLChain, redactor: Redactor): Promise<GraphQLSchema> {
  call ??= {
    kind: 'operation',
    document: prepareDocument(getIntrospectionQuery()),
    variables: undefined,
    extensions: undefined,
    headers: undefined,
    method: 'POST',
    repeatable: true,
  };
  const response = (await chain.execute(call)) as GraphQLResponse<unknown>;
  const fix = 'give the schema as SDL in the connector\'s "schema" setting, or turn validateSchema off';
  if (!response.ok || !response.data) {
    const first = response.errors?.[0]?.message ?? 'no data';
    throw new ConnectorError('GRAPHQL', redactor.text(`validateSchema needs the schema, but the introspection query answered ${response.status} with "${first}"; ${fix}`), {
      details: { status: response.status, ...(response.errors ? { graphqlErrors: redactor.value(response.errors) as unknown[] } : {}) },
    });
  }
  try {
    return buildClientSchema(response.data as IntrospectionQuery);
  } catch (error) {
    throw new ConnectorError('GRAPHQL', `the introspection result does not describe a usable schema (${redactor.message(error)}); ${fix}`, { cause: error });
  }
}
