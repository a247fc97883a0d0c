import { print } from 'graphql';
import { ConnectorError } from '../../core/errors.js';
import type { GraphQLCall, GraphQLOperationCall, GraphQLOutcome } from '../../protocols/graphql/call.js';
import { endpointPath } from '../../protocols/graphql/http-transport.js';
import { GraphQLResponse, type GraphQLResultError } from '../../protocols/graphql/result.js';
import type { Redactor } from '../redact.js';
import type { CassetteAdapter } from './adapter.js';
import { absoluteUrl, relativeUrl } from './bodies.js';
import { roundMs, sortedJson } from './json.js';
import { namedSecrets, recordedHeaders, recordedJson } from './redaction.js';

/**
 * Where a GraphQL connector sends operations, as in its config (`endpoint` defaults to
 * `/graphql`, as there).
 *
 * @example
 * ```ts
 * import type { GraphQLCassetteTarget } from 'ia-connectors';
 * const t: GraphQLCassetteTarget = { baseUrl: 'http://127.0.0.1:4000', endpoint: '/graphql' };
 * ```
 */
export interface GraphQLCassetteTarget {
  baseUrl: string;
  endpoint?: string;
}

/**
 * The cassette's view of GraphQL: an operation is stored as its HTTP method, kind,
 * name, printed document and variables (sorted, secrets hidden), matched on all of
 * them; a result as status, headers, `data`, `errors` and `extensions`, rebuilt as a
 * real {@link GraphQLResponse} with `throwIfErrors()`. Subscription sockets are not
 * recorded, and a replay refuses them with `UNSUPPORTED`.
 *
 * @example
 * ```ts
 * import { graphqlCassetteAdapter } from 'ia-connectors';
 * const shop = graphqlCassetteAdapter({ baseUrl: 'http://127.0.0.1:4000' });
 * ```
 */
export function graphqlCassetteAdapter(target: GraphQLCassetteTarget): CassetteAdapter<GraphQLCall, GraphQLOutcome> {
  const base = new URL(target.baseUrl);
  const endpointUrl = base.origin + endpointPath(base.pathname, target.endpoint ?? '/graphql');
  return {
    protocol: 'graphql',
    baseUrl: target.baseUrl,
    view: {
      describe: (r) => `${String(r['operation'])} ${typeof r['operationName'] === 'string' ? r['operationName'] : '(anonymous)'}${r['variables'] === undefined ? '' : ` ${JSON.stringify(r['variables'])}`}`,
      sameEndpoint: (a, b) => a['document'] === b['document'] && a['operationName'] === b['operationName'],
    },
    secretsOf(call, redactor) {
      const { credentials } = call;
      const fields = call.kind === 'operation' ? [call.variables, call.extensions] : [];
      const headers = call.kind === 'operation' ? [call.headers, credentials?.headers] : [credentials?.headers];
      return namedSecrets({ params: [credentials?.query], fields, headers }, redactor);
    },
    prepare(call, redactor) {
      if (call.kind !== 'operation') return undefined;
      const { document } = call;
      const variables = jsonOf(call.variables, 'variables', redactor);
      const extensions = jsonOf(call.extensions, 'extensions', redactor);
      const key = {
        method: call.method,
        operation: document.kind,
        ...(document.operationName === undefined ? {} : { operationName: document.operationName }),
        document: print(document.document),
        ...(variables === undefined ? {} : { variables }),
        ...(extensions === undefined ? {} : { extensions }),
      };
      return { key, url: redactor.url(endpointUrl) };
    },
    async capture(outcome, _ctx, prepared, redactor) {
      const response = outcome as GraphQLResponse;
      const { data, errors, extensions } = response;
      const finalUrl = redactor.url(response.url);
      return {
        value: outcome,
        stored: {
          status: response.status,
          ...(finalUrl === prepared.url ? {} : { url: relativeUrl(finalUrl, base.origin) }),
          headers: recordedHeaders(response.headers, redactor),
          ...(data === undefined ? {} : { data: recordedJson(data, redactor) }),
          ...(errors === undefined ? {} : { errors: recordedJson(errors, redactor) }),
          ...(extensions === undefined ? {} : { extensions: recordedJson(extensions, redactor) }),
          durationMs: roundMs(response.durationMs),
        },
      };
    },
    rebuild(stored, ctx, prepared, redactor) {
      const call = ctx.request as GraphQLOperationCall;
      const url = typeof stored['url'] === 'string' ? absoluteUrl(stored['url'], base.origin) : prepared.url;
      const http = { status: stored.status, headers: structuredClone(stored.headers), url, durationMs: stored.durationMs, attempts: ctx.attempt };
      const copy = <T>(value: unknown): T => structuredClone(value) as T;
      return new GraphQLResponse(
        copy<Record<string, unknown> | null | undefined>(stored['data']),
        copy<GraphQLResultError[] | undefined>(stored['errors']),
        copy<Record<string, unknown> | undefined>(stored['extensions']),
        http,
        call.document.operationName,
        redactor,
      );
    },
    notReplayed: (ctx) =>
      new ConnectorError(
        'UNSUPPORTED',
        `connector "${ctx.connector}": GraphQL subscriptions are not replayed from cassettes (only queries and mutations are recorded); run the subscription against the live service, or leave it out of a replayed run`,
        { details: { connector: ctx.connector } },
      ),
  };
}

function jsonOf(value: unknown, what: string, redactor: Redactor): unknown {
  if (value === undefined) return undefined;
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new ConnectorError('SERIALIZATION', `${what} cannot be serialised as JSON (${redactor.message(error)}); convert BigInt values to strings and remove circular references`, { cause: error });
  }
  return text === undefined ? undefined : recordedJson(sortedJson(JSON.parse(text)), redactor);
}
