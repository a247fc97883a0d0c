import type { GraphQLDocument } from './document.js';
import type { GraphQLCallOptions, GraphQLRequest } from './request.js';

/**
 * What the query builder's `build()` returns, accepted wherever a document is.
 *
 * @example
 * ```ts
 * import type { BuiltOperationLike } from 'ia-connectors';
 * const op: BuiltOperationLike = { query: 'query Q($id: ID!) { user(id: $id) { name } }', variables: { id: '7' }, operationName: 'Q' };
 * ```
 */
export interface BuiltOperationLike {
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string | undefined;
}

/**
 * Merges a document (or a built operation), variables and per-call options into one
 * request; the call's own variables win over built ones.
 *
 * @example
 * ```ts
 * import { asRequest } from 'ia-connectors';
 * asRequest('{ hello }', undefined, { timeout: 1000 }); // { timeout: 1000, query: '{ hello }', variables: undefined }
 * ```
 */
export function asRequest(
  document: GraphQLDocument<unknown, unknown> | BuiltOperationLike,
  variables: unknown,
  options: GraphQLCallOptions | undefined,
): GraphQLRequest<unknown, unknown> {
  if (isBuilt(document)) {
    const merged = variables === undefined ? document.variables : { ...document.variables, ...(variables as Record<string, unknown>) };
    const operationName = options?.operationName ?? document.operationName;
    return { ...options, query: document.query, variables: merged, ...(operationName === undefined ? {} : { operationName }) };
  }
  return { ...options, query: document, variables };
}

function isBuilt(value: unknown): value is BuiltOperationLike {
  return typeof value === 'object' && value !== null && !('kind' in value) && typeof (value as { query?: unknown }).query === 'string';
}
