// The sandbox's public API; src/index.ts picks from this list.
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { SANDBOX_PORTS, sandboxConnectorsYaml, sandboxUrls, type SandboxUrls } from './connectors-config.js';
export type { SandboxCredentials } from './credentials.js';
export type { SandboxAccessLog } from './http-service.js';
export type { ResilienceSettings } from './resilience-routes.js';
