import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { ConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';
import { syntaxError } from './document-errors.js';

/**
 * A GraphQL document: source text, a parsed `DocumentNode`, or a `TypedDocumentNode`
 * whose type parameters type the result's `data` and the variables.
 *
 * @example
 * ```ts
 * import type { GraphQLDocument } from 'ia-connectors';
 * const doc: GraphQLDocument<{ hello: string }> = '{ hello }';
 * ```
 */
export type GraphQLDocument<TData = Record<string, unknown>, TVariables = Record<string, unknown>> =
  | string
  | DocumentNode
  | TypedDocumentNode<TData, TVariables>;

/**
 * The kind of a GraphQL operation.
 *
 * @example
 * ```ts
 * import type { OperationKind } from 'ia-connectors';
 * const k: OperationKind = 'mutation';
 * ```
 */
export type OperationKind = 'query' | 'mutation' | 'subscription';

/**
 * A document parsed, its operation chosen, and its wire text ready: computed once per
 * document (and operation name) and cached, so repeated calls pay nothing for it.
 *
 * @example
 * ```ts
 * import { prepareDocument } from 'ia-connectors';
 * const p = prepareDocument('query Hi { hello }');
 * p.kind; // 'query'
 * p.operationName; // 'Hi'
 * ```
 */
export interface PreparedDocument {
  readonly document: DocumentNode;
  /** What goes on the wire: the caller's text, or the printed `DocumentNode`. */
  readonly text: string;
  readonly operation: OperationDefinitionNode;
  readonly operationName: string | undefined;
  readonly kind: OperationKind;
  /** Declared variables: name → printed type (`ID!`), and whether a value is required. */
  readonly variables: ReadonlyMap<string, { type: string; required: boolean }>;
}

const MAX_CACHED_TEXTS = 500;
const parsedTexts = new Map<string, DocumentNode>();
const printed = new WeakMap<DocumentNode, string>();
const prepared = new WeakMap<DocumentNode, Map<string, PreparedDocument>>();

/**
 * Parses (or takes) a document and picks its operation. Parsing happens locally: a
 * syntax error is a `GRAPHQL_SYNTAX` error with line and column, and nothing is sent.
 * An unknown or missing `operationName` is a `GRAPHQL_VALIDATION` error naming the
 * operations the document defines.
 *
 * @example
 * ```ts
 * import { prepareDocument } from 'ia-connectors';
 * prepareDocument('query A { a } query B { b }', 'B').operationName; // 'B'
 * ```
 */
export function prepareDocument(input: GraphQLDocument<unknown, unknown>, operationName?: string, redactor?: Redactor): PreparedDocument {
  const [document, text] = typeof input === 'string' ? [parseText(input, redactor), input] : [checkNode(input), printNode(input)];
  let byName = prepared.get(document);
  const key = operationName ?? '';
  const hit = byName?.get(key);
  if (hit) return hit;
  const operation = pickOperation(document, operationName);
  const entry: PreparedDocument = {
    document,
    text,
    operation,
    operationName: operation.name?.value,
    kind: operation.operation as OperationKind,
    variables: new Map(
      (operation.variableDefinitions ?? []).map((v) => [
        v.variable.name.value,
        { type: print(v.type), required: v.type.kind === Kind.NON_NULL_TYPE && v.defaultValue === undefined },
      ]),
    ),
  };
  if (!byName) prepared.set(document, (byName = new Map()));
  byName.set(key, entry);
  return entry;
}

function parseText(text: string, redactor: Redactor | undefined): DocumentNode {
  const cached = parsedTexts.get(text);
  if (cached) return cached;
  if (text.trim() === '') {
    throw new ConnectorError('GRAPHQL_SYNTAX', 'the GraphQL document is empty; pass a query such as "{ __typename }"; nothing was sent');
  }
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: false });
  } catch (error) {
    throw syntaxError(error, text, redactor);
  }
  // Oldest first out: a Map keeps insertion order.
  if (parsedTexts.size >= MAX_CACHED_TEXTS) parsedTexts.delete(parsedTexts.keys().next().value as string);
  parsedTexts.set(text, document);
  return document;
}

function checkNode(node: DocumentNode): DocumentNode {
  if (typeof node !== 'object' || node === null || node.kind !== Kind.DOCUMENT || !Array.isArray(node.definitions)) {
    throw new ConnectorError('INVALID_REQUEST', 'the document must be GraphQL text or a parsed DocumentNode (from graphql\'s parse() or a codegen TypedDocumentNode)');
  }
  return node;
}

function printNode(node: DocumentNode): string {
  let text = printed.get(node);
  if (text === undefined) {
    text = print(node);
    printed.set(node, text);
  }
  return text;
}

function pickOperation(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const names = operations.map((o) => o.name?.value ?? '(anonymous)').join(', ');
  if (operations.length === 0) {
    throw new ConnectorError('GRAPHQL_VALIDATION', 'the GraphQL document defines no operation (only fragments?); add a query, mutation or subscription; nothing was sent');
  }
  if (operationName !== undefined) {
    const found = operations.find((o) => o.name?.value === operationName);
    if (found) return found;
    throw new ConnectorError('GRAPHQL_VALIDATION', `operation "${operationName}" is not in the document, which defines: ${names}; fix operationName; nothing was sent`, {
      details: { operationName, operations: operations.map((o) => o.name?.value ?? null) },
    });
  }
  if (operations.length > 1) {
    throw new ConnectorError('GRAPHQL_VALIDATION', `the document defines ${operations.length} operations (${names}); pass operationName to choose one; nothing was sent`, {
      details: { operations: operations.map((o) => o.name?.value ?? null) },
    });
  }
  return operations[0] as OperationDefinitionNode;
}
