// The sandbox's public API; src/index.ts picks from this list.
export { startSandbox, type Sandbox, type SandboxOptions } from './sandbox.js';
export { SANDBOX_PORTS, sandboxUrls, type SandboxPorts, type SandboxUrls } from './urls.js';
export { SANDBOX_ENV_NAMES, sandboxConnectorsYaml } from './connectors-config.js';
export type { SandboxCredentials } from './credentials.js';
export type { SandboxAccessLog } from './http-service.js';
export type { ResilienceSettings } from './resilience-routes.js';
