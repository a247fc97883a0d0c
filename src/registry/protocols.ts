import { z } from 'zod';
import type { Connector } from '../core/connector.js';
import { restConnectorConfigSchema } from '../protocols/rest/config.js';
import { RestConnector, type RestConnectorExtras } from '../protocols/rest/connector.js';
import { graphqlConnectorConfigSchema } from '../protocols/graphql/config.js';
import { GraphQLConnector, type GraphQLConnectorExtras } from '../protocols/graphql/connector.js';
import { grpcConnectorConfigSchema } from '../protocols/grpc/config.js';
import { GrpcConnector, type GrpcConnectorExtras } from '../protocols/grpc/connector.js';
import { websocketConnectorConfigSchema } from '../protocols/websocket/config.js';
import { WebSocketConnector, type WebSocketConnectorExtras } from '../protocols/websocket/connector.js';
import type { Redactor } from '../observability/redact.js';
import { protocolExtras, type ConnectorExtras } from './extras.js';

/**
 * Any connector, whatever its protocol's request and response types. The registry
 * holds these; `registry.get<T>()` narrows to the type you expect.
 *
 * @example
 * ```ts
 * import { createRestConnector, type AnyConnector } from 'ia-connectors';
 * const c: AnyConnector = createRestConnector({ name: 'api', baseUrl: 'http://127.0.0.1:8080' });
 * ```
 */
export type AnyConnector = Connector<never, unknown>;

/**
 * How the registry knows a protocol: the zod schema of its connector config (an object
 * whose `protocol` field is a literal) and the function that builds a connector from
 * a parsed config.
 *
 * @example
 * ```ts
 * import { restConnectorConfigSchema, RestConnector, type ConnectorProtocol } from 'ia-connectors';
 * const rest: ConnectorProtocol<typeof restConnectorConfigSchema> = {
 *   schema: restConnectorConfigSchema,
 *   create: (config) => new RestConnector(config),
 * };
 * ```
 */
export interface ConnectorProtocol<S extends z.ZodObject = z.ZodObject> {
  readonly schema: S;
  create(config: z.output<S>, extras?: ConnectorExtras): AnyConnector;
}

interface WithRedactor {
  readonly redactor: Redactor;
}

function protocol<S extends z.ZodObject, E>(
  schema: S,
  build: (config: z.output<S>, extras: E | undefined) => AnyConnector & WithRedactor,
): ConnectorProtocol<S> {
  return {
    schema,
    create(config, extras) {
      // The cassette asks for the connector's redactor lazily: it exists once the connector does.
      const built: { connector?: AnyConnector & WithRedactor } = {};
      const own = protocolExtras(config as Parameters<typeof protocolExtras>[0], extras, () => built.connector?.redactor) as E | undefined;
      built.connector = build(config, own);
      return built.connector;
    },
  };
}

/**
 * Every protocol a connectors file may name, keyed by the value of `protocol`.
 * Supporting a new protocol is one line here; the config union, the file schema and
 * the JSON Schema all follow from this map.
 *
 * @example
 * ```ts
 * import { CONNECTOR_PROTOCOLS } from 'ia-connectors';
 * Object.keys(CONNECTOR_PROTOCOLS); // ['rest', 'websocket', ...]
 * ```
 */
export const CONNECTOR_PROTOCOLS = {
  rest: protocol(restConnectorConfigSchema, (config, extras: RestConnectorExtras | undefined) => new RestConnector(config, extras)),
  graphql: protocol(graphqlConnectorConfigSchema, (config, extras: GraphQLConnectorExtras | undefined) => new GraphQLConnector(config, extras)),
  grpc: protocol(grpcConnectorConfigSchema, (config, extras: GrpcConnectorExtras | undefined) => new GrpcConnector(config, extras)),
  websocket: protocol(websocketConnectorConfigSchema, (config, extras: WebSocketConnectorExtras | undefined) => new WebSocketConnector(config, extras)),
} as const;

/**
 * A protocol name: a key of {@link CONNECTOR_PROTOCOLS}.
 *
 * @example
 * ```ts
 * import type { ProtocolName } from 'ia-connectors';
 * const p: ProtocolName = 'rest';
 * ```
 */
export type ProtocolName = keyof typeof CONNECTOR_PROTOCOLS;

const DEFAULT_PROTOCOL: ProtocolName = 'rest';

type ProtocolSchema = (typeof CONNECTOR_PROTOCOLS)[ProtocolName]['schema'];

const PROTOCOL_NAMES = Object.keys(CONNECTOR_PROTOCOLS) as ProtocolName[];
const schemas = PROTOCOL_NAMES.map((name) => CONNECTOR_PROTOCOLS[name].schema) as unknown as [ProtocolSchema, ...ProtocolSchema[]];

/**
 * A connector config of any protocol, discriminated by `protocol` (which defaults to
 * `rest`). Parsing fills every default.
 *
 * @example
 * ```ts
 * import { connectorConfigSchema } from 'ia-connectors';
 * const cfg = connectorConfigSchema.parse({ name: 'users', baseUrl: 'http://127.0.0.1:8080' });
 * cfg.protocol; // 'rest'
 * ```
 */
export const connectorConfigSchema = z.discriminatedUnion('protocol', schemas, {
  error: (issue) => {
    if (issue.code === 'invalid_union') {
      const given = typeof issue.input === 'object' && issue.input !== null ? (issue.input as Record<string, unknown>)['protocol'] : issue.input;
      return `unknown protocol ${JSON.stringify(given)}; use one of ${PROTOCOL_NAMES.join(', ')} (rest when omitted)`;
    }
    if (issue.code === 'invalid_type') return 'each connector must be a mapping with at least name and baseUrl';
    return undefined;
  },
});

/**
 * A parsed connector config of any protocol, every default filled in.
 *
 * @example
 * ```ts
 * import type { ConnectorConfig } from 'ia-connectors';
 * const describe = (c: ConnectorConfig) => `${c.name} (${c.protocol})`;
 * ```
 */
export type ConnectorConfig = z.output<typeof connectorConfigSchema>;

/**
 * What a user writes for a connector of any protocol; defaults may be omitted.
 *
 * @example
 * ```ts
 * import type { ConnectorConfigInput } from 'ia-connectors';
 * const c: ConnectorConfigInput = { name: 'users', protocol: 'rest', baseUrl: 'http://127.0.0.1:8080' };
 * ```
 */
export type ConnectorConfigInput = z.input<typeof connectorConfigSchema>;

/**
 * The schema of one protocol's connector config (`rest` when `name` is undefined), or
 * undefined for an unknown protocol.
 *
 * @example
 * ```ts
 * import { protocolSchema } from 'ia-connectors';
 * protocolSchema('rest')?.shape.baseUrl;
 * ```
 */
export function protocolSchema(name: unknown): ProtocolSchema | undefined {
  const key = name ?? DEFAULT_PROTOCOL;
  return typeof key === 'string' && Object.hasOwn(CONNECTOR_PROTOCOLS, key) ? CONNECTOR_PROTOCOLS[key as ProtocolName].schema : undefined;
}

/**
 * Builds the connector a parsed config describes, with the observers and cassette of
 * `extras` when given. The connector is not connected yet.
 *
 * @example
 * ```ts
 * import { connectorConfigSchema, createConnector } from 'ia-connectors';
 * const users = createConnector(connectorConfigSchema.parse({ name: 'users', baseUrl: 'http://127.0.0.1:8080' }));
 * ```
 */
export function createConnector(config: ConnectorConfig, extras?: ConnectorExtras): AnyConnector {
  const entry = CONNECTOR_PROTOCOLS[config.protocol] as ConnectorProtocol;
  return entry.create(config, extras);
}
