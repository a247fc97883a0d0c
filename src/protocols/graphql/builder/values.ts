import { Kind, parseType, type ObjectFieldNode, type TypeNode, type ValueNode, type VariableDefinitionNode } from 'graphql';
import { ConnectorError } from '../../../core/errors.js';

const NAME = /^[_A-Za-z][_0-9A-Za-z]*$/;

/**
 * Checks a GraphQL name (field, alias, argument, type, fragment, enum value) so that
 * nothing but a name can reach the printed document.
 *
 * @example
 * ```ts
 * import { assertGraphQLName } from 'ia-connectors';
 * assertGraphQLName('user', 'field name'); // 'user'
 * ```
 */
export function assertGraphQLName(name: unknown, what: string): string {
  if (typeof name === 'string' && NAME.test(name)) return name;
  throw new ConnectorError('INVALID_REQUEST', `${what} ${JSON.stringify(name)} is not a GraphQL name; use letters, digits and "_" (not starting with a digit)`);
}

/**
 * A value sent as a GraphQL variable: the document says `$name` and the value travels
 * in `variables`, typed as `type` (`ID!`, `[String!]`, `UserFilter`).
 *
 * @example
 * ```ts
 * import { graphqlVariable } from 'ia-connectors';
 * const id = graphqlVariable('ID!', 'x") { admin }'); // stays a value, never document text
 * ```
 */
export class GraphQLVariable<T = unknown> {
  readonly typeNode: TypeNode;

  constructor(
    readonly type: string,
    readonly value: T,
    /** The variable's name; by default the argument's. */
    readonly name?: string,
  ) {
    try {
      this.typeNode = parseType(type);
    } catch {
      throw new ConnectorError('INVALID_REQUEST', `variable type ${JSON.stringify(type)} is not a GraphQL type; write one such as "ID!", "[String!]" or "UserFilter"`);
    }
    if (name !== undefined) assertGraphQLName(name, 'variable name');
  }
}

/**
 * A value for `graphqlVariable(type, value, name?)`.
 *
 * @example
 * ```ts
 * import { graphqlVariable } from 'ia-connectors';
 * graphqlVariable('[String!]!', ['a', 'b'], 'tags');
 * ```
 */
export function graphqlVariable<T>(type: string, value: T, name?: string): GraphQLVariable<T> {
  return new GraphQLVariable(type, value, name);
}

/**
 * An enum value, printed bare (`ACTIVE`) rather than as a string.
 *
 * @example
 * ```ts
 * import { graphqlEnum } from 'ia-connectors';
 * const order = graphqlEnum('NEWEST');
 * ```
 */
export class GraphQLEnumLiteral {
  constructor(readonly value: string) {
    assertGraphQLName(value, 'enum value');
    if (value === 'true' || value === 'false' || value === 'null') {
      throw new ConnectorError('INVALID_REQUEST', `enum value "${value}" is reserved; pass the ${value} literal itself`);
    }
  }
}

/**
 * An enum value for an argument.
 *
 * @example
 * ```ts
 * import { graphqlEnum } from 'ia-connectors';
 * graphqlEnum('ASC').value; // 'ASC'
 * ```
 */
export function graphqlEnum(value: string): GraphQLEnumLiteral {
  return new GraphQLEnumLiteral(value);
}

/**
 * Gathers the variables an operation uses while it is built: each gets a unique
 * name (the argument's, then `name2`, `name3`, ...), the same variable object reuses
 * its name, and an explicit name used for two different values is refused.
 *
 * @example
 * ```ts
 * import { VariableCollector, graphqlVariable } from 'ia-connectors';
 * const vars = new VariableCollector();
 * vars.use('id', graphqlVariable('ID!', '7')); // 'id'
 * vars.values; // { id: '7' }
 * ```
 */
export class VariableCollector {
  readonly values: Record<string, unknown> = {};
  readonly definitions: VariableDefinitionNode[] = [];
  readonly #names = new Map<GraphQLVariable, string>();

  use(argument: string, variable: GraphQLVariable): string {
    const known = this.#names.get(variable);
    if (known) return known;
    let name = variable.name ?? argument;
    if (Object.hasOwn(this.values, name)) {
      if (variable.name !== undefined) {
        throw new ConnectorError('INVALID_REQUEST', `variable $${name} is given two different values; give one of them another name`);
      }
      let n = 2;
      while (Object.hasOwn(this.values, `${argument}${n}`)) n++;
      name = `${argument}${n}`;
    }
    this.#names.set(variable, name);
    this.values[name] = variable.value;
    this.definitions.push({ kind: Kind.VARIABLE_DEFINITION, variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: name } }, type: variable.typeNode });
    return name;
  }
}

/**
 * Turns an argument value into a GraphQL AST value, which the printer escapes:
 * strings, numbers, booleans, `null`, lists, input objects, {@link graphqlEnum} and
 * {@link graphqlVariable}. Anything else (`undefined`, functions, dates, `NaN`) is an
 * `INVALID_REQUEST` error naming the argument.
 *
 * @example
 * ```ts
 * import { toValueNode, VariableCollector } from 'ia-connectors';
 * import { print } from 'graphql';
 * print(toValueNode('a "quoted" value', 'name', new VariableCollector())); // '"a \\"quoted\\" value"'
 * ```
 */
export function toValueNode(value: unknown, where: string, variables: VariableCollector): ValueNode {
  if (value instanceof GraphQLVariable) {
    const key = where.split(/[.[\]]/).filter(Boolean).pop() ?? 'value';
    return { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: variables.use(/^[_A-Za-z]/.test(key) ? key : `v${key}`, value) } };
  }
  if (value instanceof GraphQLEnumLiteral) return { kind: Kind.ENUM, value: value.value };
  if (value === null) return { kind: Kind.NULL };
  switch (typeof value) {
    case 'string':
      return { kind: Kind.STRING, value };
    case 'boolean':
      return { kind: Kind.BOOLEAN, value };
    case 'bigint':
      return { kind: Kind.INT, value: value.toString() };
    case 'number':
      if (!Number.isFinite(value)) break;
      return Number.isInteger(value) ? { kind: Kind.INT, value: String(value) } : { kind: Kind.FLOAT, value: String(value) };
  }
  if (Array.isArray(value)) return { kind: Kind.LIST, values: value.map((item, i) => toValueNode(item, `${where}[${i}]`, variables)) };
  if (isPlainObject(value)) {
    const fields: ObjectFieldNode[] = Object.entries(value).map(([key, item]) => ({
      kind: Kind.OBJECT_FIELD,
      name: { kind: Kind.NAME, value: assertGraphQLName(key, `input field of ${where}`) },
      value: toValueNode(item, `${where}.${key}`, variables),
    }));
    return { kind: Kind.OBJECT, fields };
  }
  const shown = typeof value === 'number' ? String(value) : value === undefined ? 'undefined' : typeof value === 'object' ? (value.constructor?.name ?? 'object') : typeof value;
  throw new ConnectorError(
    'INVALID_REQUEST',
    `argument ${where} is ${shown}, which has no GraphQL literal; pass a string, number, boolean, null, list, plain object, graphqlEnum() or graphqlVariable() (omit an argument instead of passing undefined)`,
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
