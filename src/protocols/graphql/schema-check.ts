import { buildSchema, getVariableValues, validate, type DocumentNode, type GraphQLError, type GraphQLSchema } from 'graphql';
import { ConnectorError } from '../../core/errors.js';
import type { PreparedDocument } from './document.js';
import { validationError } from './document-errors.js';

/**
 * The schema a connector validates against, loaded once and kept for the connector's
 * lifetime (reconnects included): from the configured SDL, or by one introspection
 * query shared by concurrent callers. A failed load is not cached, so the next call
 * tries again. Validation results are cached per document.
 *
 * @example
 * ```ts
 * import { SchemaCheck, prepareDocument } from 'ia-connectors';
 * const check = new SchemaCheck(async () => { throw new Error('no introspection'); }, 'type Query { hello: String }');
 * await check.validate(prepareDocument('{ hello }'), undefined);
 * ```
 */
export class SchemaCheck {
  #schema: Promise<GraphQLSchema> | undefined;
  #validated = new WeakMap<DocumentNode, readonly GraphQLError[]>();

  constructor(
    private readonly introspect: () => Promise<GraphQLSchema>,
    given?: string | GraphQLSchema,
  ) {
    if (given !== undefined) this.#schema = Promise.resolve(typeof given === 'string' ? fromSdl(given) : given);
  }

  /** The schema, fetched on first use. */
  schema(): Promise<GraphQLSchema> {
    this.#schema ??= this.introspect().catch((error: unknown) => {
      this.#schema = undefined;
      throw error;
    });
    return this.#schema;
  }

  /** Forgets a fetched schema (and cached validations) so the next call introspects again. */
  reset(given?: GraphQLSchema): void {
    this.#schema = given ? Promise.resolve(given) : undefined;
    this.#validated = new WeakMap();
  }

  /**
   * Validates the document and coerces the variables against the schema; throws
   * `GRAPHQL_VALIDATION` naming each problem. Nothing is sent when it throws.
   */
  async validate(prepared: PreparedDocument, variables: Readonly<Record<string, unknown>> | undefined): Promise<void> {
    const schema = await this.schema();
    let errors = this.#validated.get(prepared.document);
    if (errors === undefined) {
      errors = validate(schema, prepared.document);
      this.#validated.set(prepared.document, errors);
    }
    if (errors.length > 0) throw validationError(errors, prepared.operationName);
    const definitions = prepared.operation.variableDefinitions ?? [];
    if (definitions.length === 0) return;
    const coerced = getVariableValues(schema, definitions, variables ?? {}, { maxErrors: 10 });
    if (coerced.errors) throw validationError(coerced.errors, prepared.operationName, 'fix the variables');
  }
}

function fromSdl(sdl: string): GraphQLSchema {
  try {
    return buildSchema(sdl);
  } catch (error) {
    throw new ConnectorError('CONFIG', `schema: the SDL does not build a schema (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); fix it or remove "schema" to introspect`, {
      cause: error,
    });
  }
}
