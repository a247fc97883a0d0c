import { createHash } from 'node:crypto';
import type { PreparedDocument } from './document.js';
import type { GraphQLResultError } from './result.js';

const hashes = new WeakMap<PreparedDocument, string>();

/**
 * The sha256 hex digest of a document's wire text, as automatic persisted queries
 * name it; computed once per prepared document.
 *
 * @example
 * ```ts
 * import { persistedQueryHash, prepareDocument } from 'ia-connectors';
 * persistedQueryHash(prepareDocument('{ hello }')).length; // 64
 * ```
 */
export function persistedQueryHash(document: PreparedDocument): string {
  let hash = hashes.get(document);
  if (hash === undefined) {
    hash = createHash('sha256').update(document.text).digest('hex');
    hashes.set(document, hash);
  }
  return hash;
}

/**
 * Whether a result says the server lacks the hashed query (`not_found`: send the full
 * query) or persisted queries altogether (`unsupported`: stop hashing), by Apollo's
 * messages or `extensions.code`.
 *
 * @example
 * ```ts
 * import { persistedQueryMiss } from 'ia-connectors';
 * persistedQueryMiss([{ message: 'PersistedQueryNotFound' }]); // 'not_found'
 * ```
 */
export function persistedQueryMiss(errors: readonly GraphQLResultError[] | undefined): 'not_found' | 'unsupported' | undefined {
  if (!errors) return undefined;
  for (const error of errors) {
    const code = error.extensions?.['code'];
    if (error.message === 'PersistedQueryNotFound' || code === 'PERSISTED_QUERY_NOT_FOUND') return 'not_found';
    if (error.message === 'PersistedQueryNotSupported' || code === 'PERSISTED_QUERY_NOT_SUPPORTED') return 'unsupported';
  }
  return undefined;
}
