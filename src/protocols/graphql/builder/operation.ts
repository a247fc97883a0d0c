import { Kind, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { ConnectorError } from '../../../core/errors.js';
import type { OperationKind } from '../document.js';
import { BuildContext, SelectionBuilder, type FieldOptions, type GraphQLFragment, type Select } from './selection.js';
import { assertGraphQLName, VariableCollector } from './values.js';

/**
 * What `build()` returns: the document text, its variables, the operation name and
 * the parsed document. Pass it to `query()`, `mutation()` or `subscribe()` as is.
 *
 * @example
 * ```ts
 * import { graphqlQuery } from 'ia-connectors';
 * const { query, variables } = graphqlQuery('Hi').field('hello').build(); // 'query Hi {\n  hello\n}', {}
 * ```
 */
export interface BuiltOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
  readonly operationName: string | undefined;
  readonly document: DocumentNode;
}

/**
 * An immutable GraphQL operation under construction. Values never become document
 * text by string splicing: arguments are AST literals escaped by graphql's printer,
 * or variables; names are checked. So `"x\") { admin }"` stays a string value.
 *
 * @example
 * ```ts
 * import { graphqlQuery, graphqlVariable } from 'ia-connectors';
 * const op = graphqlQuery('GetUser')
 *   .field('user', { args: { id: graphqlVariable('ID!', '7') } }, (u) => u.fields('id', 'name'))
 *   .build();
 * // op.query: 'query GetUser($id: ID!) { user(id: $id) { id name } }' (printed), op.variables: { id: '7' }
 * ```
 */
export class GraphQLOperationBuilder {
  constructor(
    readonly kind: OperationKind,
    readonly name: string | undefined,
    private readonly selection: SelectionBuilder = new SelectionBuilder(),
  ) {
    if (name !== undefined) assertGraphQLName(name, 'operation name');
  }

  /** Adds a top-level field; see {@link SelectionBuilder.field}. */
  field(name: string, optionsOrSelect?: FieldOptions | Select, select?: Select): GraphQLOperationBuilder {
    return this.#with(this.selection.field(name, optionsOrSelect, select));
  }

  /** Adds plain top-level fields. */
  fields(...names: string[]): GraphQLOperationBuilder {
    return this.#with(this.selection.fields(...names));
  }

  /** Adds a top-level inline fragment. */
  on(typeName: string, select: Select): GraphQLOperationBuilder {
    return this.#with(this.selection.on(typeName, select));
  }

  /** Adds a top-level fragment spread. */
  spread(fragment: GraphQLFragment): GraphQLOperationBuilder {
    return this.#with(this.selection.spread(fragment));
  }

  /** Prints the operation with graphql's printer and collects its variables. */
  build(): BuiltOperation {
    if (this.selection.empty) {
      throw new ConnectorError('INVALID_REQUEST', `the ${this.kind}${this.name ? ` "${this.name}"` : ''} selects nothing; add a field with .field(name)`);
    }
    const variables = new VariableCollector();
    const context = new BuildContext(variables);
    const selectionSet = this.selection.toNode(context);
    const operation: OperationDefinitionNode = {
      kind: Kind.OPERATION_DEFINITION,
      operation: this.kind as OperationDefinitionNode['operation'],
      ...(this.name === undefined ? {} : { name: { kind: Kind.NAME, value: this.name } }),
      ...(variables.definitions.length > 0 ? { variableDefinitions: variables.definitions } : {}),
      selectionSet,
    };
    const document: DocumentNode = { kind: Kind.DOCUMENT, definitions: [operation, ...context.definitions] };
    return { query: print(document), variables: variables.values, operationName: this.name, document };
  }

  #with(selection: SelectionBuilder): GraphQLOperationBuilder {
    return new GraphQLOperationBuilder(this.kind, this.name, selection);
  }
}

/**
 * Starts a query.
 *
 * @example
 * ```ts
 * import { graphqlQuery } from 'ia-connectors';
 * graphqlQuery('Books').field('books', { args: { first: 2 } }, (b) => b.fields('title')).build().query;
 * ```
 */
export function graphqlQuery(name?: string): GraphQLOperationBuilder {
  return new GraphQLOperationBuilder('query', name);
}

/**
 * Starts a mutation.
 *
 * @example
 * ```ts
 * import { graphqlMutation, graphqlVariable } from 'ia-connectors';
 * graphqlMutation('AddBook').field('addBook', { args: { title: graphqlVariable('String!', 'Dune') } }, (b) => b.fields('id')).build();
 * ```
 */
export function graphqlMutation(name?: string): GraphQLOperationBuilder {
  return new GraphQLOperationBuilder('mutation', name);
}

/**
 * Starts a subscription.
 *
 * @example
 * ```ts
 * import { graphqlSubscription } from 'ia-connectors';
 * graphqlSubscription('Added').field('bookAdded', (b) => b.fields('id', 'title')).build();
 * ```
 */
export function graphqlSubscription(name?: string): GraphQLOperationBuilder {
  return new GraphQLOperationBuilder('subscription', name);
}
