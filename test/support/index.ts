// The one import path for tests: `import { startServer, json } from '../support/index.js'`.
export { generateTestCertificate, type TestCertificate } from './certificates.js';
export {
  startServer,
  type Behaviour,
  type RecordedRequest,
  type ScriptedServer,
  type StartServerOptions,
} from './scripted-server.js';
export {
  delay,
  echo,
  huge,
  json,
  neverRespond,
  rawJson,
  redirect,
  redirectChain,
  reset,
  resetAfterHeaders,
  slowBody,
  status,
  text,
  type HugeOptions,
  type ResponseHeaders,
} from './behaviours.js';
export { startRedis, type TestRedis } from './redis-server.js';
