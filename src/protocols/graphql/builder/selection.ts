import { Kind, type ArgumentNode, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';
import { ConnectorError } from '../../../core/errors.js';
import { assertGraphQLName, toValueNode, type VariableCollector } from './values.js';

/**
 * Options of one field: an alias and arguments (each value printed as a GraphQL
 * literal, or sent as a variable when wrapped in `graphqlVariable`).
 *
 * @example
 * ```ts
 * import { graphqlEnum, type FieldOptions } from 'ia-connectors';
 * const o: FieldOptions = { alias: 'latest', args: { first: 5, order: graphqlEnum('NEWEST') } };
 * ```
 */
export interface FieldOptions {
  alias?: string;
  args?: Record<string, unknown>;
}

/**
 * Fills in a nested selection: receives an empty builder, returns the filled one.
 *
 * @example
 * ```ts
 * import type { Select } from 'ia-connectors';
 * const nameAndId: Select = (s) => s.fields('id', 'name');
 * ```
 */
export type Select = (selection: SelectionBuilder) => SelectionBuilder;

type Item =
  | { kind: 'field'; name: string; alias: string | undefined; args: Record<string, unknown> | undefined; selection: SelectionBuilder | undefined }
  | { kind: 'inline'; typeName: string; selection: SelectionBuilder }
  | { kind: 'spread'; fragment: GraphQLFragment };

/**
 * An immutable selection set: each method returns a new builder, so one base can be
 * extended in several directions safely. Every name is checked as a GraphQL name.
 *
 * @example
 * ```ts
 * import { SelectionBuilder } from 'ia-connectors';
 * const user = new SelectionBuilder().fields('id', 'name').field('posts', { args: { first: 3 } }, (p) => p.fields('title'));
 * ```
 */
export class SelectionBuilder {
  constructor(private readonly items: readonly Item[] = []) {}

  /** Adds a field, optionally with an alias, arguments and a nested selection. */
  field(name: string, optionsOrSelect?: FieldOptions | Select, select?: Select): SelectionBuilder {
    const options = typeof optionsOrSelect === 'function' ? {} : (optionsOrSelect ?? {});
    const nested = typeof optionsOrSelect === 'function' ? optionsOrSelect : select;
    assertGraphQLName(name, 'field name');
    if (options.alias !== undefined) assertGraphQLName(options.alias, `alias of field "${name}"`);
    for (const arg of Object.keys(options.args ?? {})) assertGraphQLName(arg, `argument name of field "${name}"`);
    const selection = nested ? run(nested, `field "${name}"`) : undefined;
    return this.#with({ kind: 'field', name, alias: options.alias, args: options.args, selection });
  }

  /** Adds plain fields (no arguments, no selection). */
  fields(...names: string[]): SelectionBuilder {
    return names.reduce<SelectionBuilder>((builder, name) => builder.field(name), this);
  }

  /** Adds an inline fragment: `... on Type { ... }`. */
  on(typeName: string, select: Select): SelectionBuilder {
    assertGraphQLName(typeName, 'type condition');
    return this.#with({ kind: 'inline', typeName, selection: run(select, `"... on ${typeName}"`) });
  }

  /** Adds a named fragment spread: `...Name`; its definition is added to the document. */
  spread(fragment: GraphQLFragment): SelectionBuilder {
    if (!(fragment instanceof GraphQLFragment)) throw new ConnectorError('INVALID_REQUEST', 'spread() takes a fragment made with graphqlFragment(name, type, select)');
    return this.#with({ kind: 'spread', fragment });
  }

  /** True when nothing is selected yet. */
  get empty(): boolean {
    return this.items.length === 0;
  }

  /** The AST of this selection; variables and fragment definitions go to `context`. */
  toNode(context: BuildContext): SelectionSetNode {
    const selections: SelectionNode[] = this.items.map((item) => {
      if (item.kind === 'spread') {
        context.fragment(item.fragment);
        return { kind: Kind.FRAGMENT_SPREAD, name: { kind: Kind.NAME, value: item.fragment.name } };
      }
      if (item.kind === 'inline') {
        const typeCondition = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: item.typeName } } as const;
        return { kind: Kind.INLINE_FRAGMENT, typeCondition, selectionSet: item.selection.toNode(context) };
      }
      const args: ArgumentNode[] = Object.entries(item.args ?? {}).map(([name, value]) => ({
        kind: Kind.ARGUMENT,
        name: { kind: Kind.NAME, value: name },
        value: toValueNode(value, `${item.name}.${name}`, context.variables),
      }));
      return {
        kind: Kind.FIELD,
        name: { kind: Kind.NAME, value: item.name },
        ...(item.alias === undefined ? {} : { alias: { kind: Kind.NAME, value: item.alias } }),
        ...(args.length > 0 ? { arguments: args } : {}),
        ...(item.selection ? { selectionSet: item.selection.toNode(context) } : {}),
      };
    });
    return { kind: Kind.SELECTION_SET, selections };
  }

  #with(item: Item): SelectionBuilder {
    return new SelectionBuilder([...this.items, item]);
  }
}

/**
 * A named fragment: `fragment Name on Type { ... }`, spread with `.spread(fragment)`.
 *
 * @example
 * ```ts
 * import { graphqlFragment } from 'ia-connectors';
 * const bookFields = graphqlFragment('BookFields', 'Book', (b) => b.fields('id', 'title'));
 * ```
 */
export class GraphQLFragment {
  constructor(
    readonly name: string,
    readonly typeName: string,
    readonly selection: SelectionBuilder,
  ) {
    assertGraphQLName(name, 'fragment name');
    assertGraphQLName(typeName, `type condition of fragment "${name}"`);
    if (selection.empty) throw new ConnectorError('INVALID_REQUEST', `fragment "${name}" selects nothing; add fields to it`);
  }
}

/**
 * Defines a named fragment.
 *
 * @example
 * ```ts
 * import { graphqlFragment } from 'ia-connectors';
 * graphqlFragment('UserBits', 'User', (u) => u.fields('id', 'name'));
 * ```
 */
export function graphqlFragment(name: string, typeName: string, select: Select): GraphQLFragment {
  return new GraphQLFragment(name, typeName, run(select, `fragment "${name}"`));
}

/**
 * Where a selection's variables and fragment definitions are gathered while building.
 *
 * @example
 * ```ts
 * import { BuildContext, VariableCollector } from 'ia-connectors';
 * const ctx = new BuildContext(new VariableCollector());
 * ```
 */
export class BuildContext {
  readonly definitions: FragmentDefinitionNode[] = [];
  readonly #fragments = new Map<string, GraphQLFragment>();

  constructor(readonly variables: VariableCollector) {}

  /** Adds a fragment's definition once; two different fragments with one name are refused. */
  fragment(fragment: GraphQLFragment): void {
    const known = this.#fragments.get(fragment.name);
    if (known === fragment) return;
    if (known) throw new ConnectorError('INVALID_REQUEST', `two different fragments are named "${fragment.name}"; rename one`);
    this.#fragments.set(fragment.name, fragment);
    const typeCondition = { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: fragment.typeName } } as const;
    const definition: FragmentDefinitionNode = {
      kind: Kind.FRAGMENT_DEFINITION,
      name: { kind: Kind.NAME, value: fragment.name },
      typeCondition,
      selectionSet: fragment.selection.toNode(this),
    };
    this.definitions.push(definition);
  }
}

function run(select: Select, where: string): SelectionBuilder {
  const result = select(new SelectionBuilder());
  if (!(result instanceof SelectionBuilder) || result.empty) {
    throw new ConnectorError('INVALID_REQUEST', `the selection of ${where} is empty; return the builder with fields, e.g. (s) => s.fields('id')`);
  }
  return result;
}
