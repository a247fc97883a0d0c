// The registry's public API; src/index.ts re-exports from here by name.
export {
  CONNECTOR_PROTOCOLS,
  connectorConfigSchema,
  createConnector,
  protocolSchema,
  type AnyConnector,
  type ConnectorConfig,
  type ConnectorConfigInput,
  type ConnectorProtocol,
  type ProtocolName,
} from './protocols.js';
export { connectorDefaultsSchema, connectorsFileSchema, type ConnectorDefaults, type ConnectorsFileInput } from './file-schema.js';
export { LEGACY_KEYS, legacyConnectorConfigSchema, type LegacyConnectorConfig } from './legacy-schema.js';
export { isLegacyConnector, normalizeLegacyConnector, type LegacyNormalization } from './legacy.js';
export { loadConnectorsFile, parseConnectorsText, type LoadedConnectorsFile } from './load.js';
export { createRegistry, loadRegistry } from './create.js';
export { ConnectorRegistry, type ConnectorHealth, type RegisterOptions, type ConnectorRegistryOptions } from './registry.js';
export { findSecretReferences, type SecretReference } from './references.js';
export { listUnresolvedReferences, type UnresolvedReference } from './resolve-references.js';
export { connectorsFileJsonSchema } from './json-schema.js';
export { redactConfig } from './redact-config.js';
export type { ReportedIssue } from './report.js';
export type { SourcePosition } from './positions.js';
