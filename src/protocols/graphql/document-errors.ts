import { GraphQLError } from 'graphql';
import { ConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';

/**
 * The `GRAPHQL_SYNTAX` error for a document that does not parse: line, column, the
 * offending line with a caret, and the parser's reason. Nothing was sent.
 *
 * @example
 * ```ts
 * import { syntaxError } from 'ia-connectors';
 * import { parse } from 'graphql';
 * try { parse('{ user( }'); } catch (e) { console.log(syntaxError(e, '{ user( }').message); }
 * ```
 */
export function syntaxError(error: unknown, text: string, redactor?: Redactor): ConnectorError {
  if (!(error instanceof GraphQLError)) {
    return new ConnectorError('GRAPHQL_SYNTAX', `the GraphQL document could not be parsed: ${redactor ? redactor.message(error) : String(error)}; nothing was sent`, { cause: error });
  }
  const location = error.locations?.[0];
  const reason = error.message.replace(/^Syntax Error:\s*/, '');
  if (!location) return new ConnectorError('GRAPHQL_SYNTAX', `GraphQL syntax error: ${reason}; nothing was sent`);
  const line = text.split(/\r\n|\r|\n/)[location.line - 1] ?? '';
  const excerpt = `${line.length > 120 ? `${line.slice(0, 120)}…` : line}\n${' '.repeat(Math.min(location.column - 1, 120))}^`;
  const message = `GraphQL syntax error at line ${location.line}, column ${location.column}: ${reason}; fix the document, nothing was sent\n${excerpt}`;
  return new ConnectorError('GRAPHQL_SYNTAX', redactor ? redactor.text(message) : message, {
    details: { line: location.line, column: location.column, reason },
  });
}

/**
 * The `GRAPHQL_VALIDATION` error for errors found before sending (schema validation,
 * variable checks); each is listed with its location, and `details.graphqlErrors`
 * carries them as the server would.
 *
 * @example
 * ```ts
 * import { validationError } from 'ia-connectors';
 * import { GraphQLError } from 'graphql';
 * validationError([new GraphQLError('Cannot query field "nope" on type "Query".')], 'GetUser').code; // 'GRAPHQL_VALIDATION'
 * ```
 */
export function validationError(errors: readonly GraphQLError[], operationName: string | undefined, hint = 'fix the document'): ConnectorError {
  const what = operationName ? `operation "${operationName}"` : 'the operation';
  const lines = errors.slice(0, 5).map((e) => {
    const at = e.locations?.[0];
    return `  - ${e.message}${at ? ` (line ${at.line}, column ${at.column})` : ''}`;
  });
  const more = errors.length > 5 ? `\n  - … and ${errors.length - 5} more` : '';
  return new ConnectorError('GRAPHQL_VALIDATION', `${what} does not validate against the schema; ${hint}, nothing was sent:\n${lines.join('\n')}${more}`, {
    details: { graphqlErrors: errors.map((e) => e.toJSON()), ...(operationName ? { operationName } : {}) },
  });
}

/**
 * Checks variables against what the operation declares, without a schema: every
 * required variable (`$id: ID!` without a default) must be given, and every given
 * variable must be declared (a misspelt optional variable would otherwise vanish).
 *
 * @example
 * ```ts
 * import { checkDeclaredVariables, prepareDocument } from 'ia-connectors';
 * checkDeclaredVariables(prepareDocument('query U($id: ID!) { user(id: $id) { id } }'), { id: '7' });
 * ```
 */
export function checkDeclaredVariables(
  prepared: { readonly operationName: string | undefined; readonly variables: ReadonlyMap<string, { type: string; required: boolean }> },
  variables: Readonly<Record<string, unknown>> | undefined,
): void {
  const what = prepared.operationName ? `operation "${prepared.operationName}"` : 'the operation';
  if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) {
    throw new ConnectorError('INVALID_REQUEST', `variables must be an object such as { id: "7" }, got ${Array.isArray(variables) ? 'an array' : typeof variables}`);
  }
  for (const [name, { type, required }] of prepared.variables) {
    if (required && (variables?.[name] === undefined || variables[name] === null)) {
      throw new ConnectorError('GRAPHQL_VALIDATION', `${what} requires variable $${name} (${type}); pass it in variables: { ${name}: ... }; nothing was sent`, {
        details: { variable: name, type },
      });
    }
  }
  if (variables === undefined) return;
  for (const name of Object.keys(variables)) {
    if (prepared.variables.has(name)) continue;
    const declared = [...prepared.variables.keys()].map((n) => `$${n}`).join(', ') || 'none';
    throw new ConnectorError('GRAPHQL_VALIDATION', `variable "${name}" is not declared by ${what} (it declares: ${declared}); check the spelling or declare it; nothing was sent`, {
      details: { variable: name },
    });
  }
}
