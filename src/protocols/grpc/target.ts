/**
 * Where a gRPC channel dials: the name `@grpc/grpc-js` resolves, whether the way it
 * was written implies TLS, and how to show it in events and messages.
 *
 * @example
 * ```ts
 * import { parseGrpcTarget } from './target.js';
 * const t = parseGrpcTarget('grpcs://api.example.com', 'baseUrl');
 * if (t.ok) t.target.address; // 'api.example.com:443'
 * ```
 */
export interface GrpcTarget {
  /** `host:port`, `dns:///host:port`, `unix:/path`, ... as grpc-js expects it. */
  readonly address: string;
  /** `true` for `grpcs://`, `false` for `grpc://` and `unix:`, `undefined` when the name says nothing. */
  readonly tls: boolean | undefined;
  /** The address with its scheme, for events and messages; undefined for plain `host:port`, whose scheme TLS decides. */
  readonly display: string | undefined;
}

const RESOLVER_SCHEMES = /^(dns|unix|unix-abstract|ipv4|ipv6|vsock):/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d+))?$/;

/**
 * Parses a `target` (`host:port`, `[::1]:50051`, `dns:///host:port`, `unix:/run/app.sock`,
 * or a `grpc://`/`grpcs://` URL) or a `baseUrl` (URLs only). A URL is taken apart by
 * the URL parser, never by string replacement: path, query, fragment and credentials
 * are refused, `grpcs://` without a port means 443.
 *
 * @example
 * ```ts
 * import { parseGrpcTarget } from './target.js';
 * parseGrpcTarget('grpc://127.0.0.1:50051', 'baseUrl'); // { ok: true, target: { address: '127.0.0.1:50051', tls: false, ... } }
 * parseGrpcTarget('127.0.0.1', 'target'); // ok; grpc-js dials port 443
 * ```
 */
export function parseGrpcTarget(value: string, field: 'target' | 'baseUrl'): { ok: true; target: GrpcTarget } | { ok: false; problem: string } {
  const fail = (problem: string): { ok: false; problem: string } => ({ ok: false, problem });
  const text = value.trim();
  if (text === '') return fail(`must not be empty; write ${field === 'baseUrl' ? '"grpcs://host:port"' : '"host:port"'}`);
  if (/^grpcs?:\/\//i.test(text)) return fromUrl(text);
  if (field === 'baseUrl') return fail(`"${text}" is not a grpc:// or grpcs:// URL; write "grpcs://host:port" (TLS) or "grpc://host:port" (plaintext)`);
  if (RESOLVER_SCHEMES.test(text)) {
    const rest = text.slice(text.indexOf(':') + 1).replace(/^\/\/[^/]*\//, '');
    if (rest === '' || rest === '/') return fail(`"${text}" names no address; write e.g. "dns:///api.example.com:443"`);
    return { ok: true, target: { address: text, tls: text.startsWith('unix') ? false : undefined, display: text } };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    return fail(`scheme of "${text}" is not supported; use grpc://, grpcs://, dns:///host:port or plain host:port`);
  }
  const match = HOST_PORT.exec(text);
  if (!match) return fail(`"${text}" is not host:port; write e.g. "127.0.0.1:50051" or "dns:///api.example.com:443"`);
  const port = match[2];
  if (port !== undefined && !validPort(port)) return fail(`port ${port} is out of range; use 1 to 65535`);
  return { ok: true, target: { address: text, tls: undefined, display: undefined } };
}

function fromUrl(text: string): { ok: true; target: GrpcTarget } | { ok: false; problem: string } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, problem: `"${text}" is not a valid URL; write "grpcs://host:port"` };
  }
  const secure = url.protocol.toLowerCase() === 'grpcs:';
  if (url.username || url.password) return { ok: false, problem: 'credentials in the URL are not allowed; use the auth setting instead' };
  if (url.pathname !== '' && url.pathname !== '/') {
    return { ok: false, problem: `a gRPC address has no path ("${url.pathname}"); methods are named per call, e.g. "pkg.Service/Method"` };
  }
  if (url.search || url.hash) return { ok: false, problem: 'remove the query and fragment; a gRPC address is only scheme, host and port' };
  if (url.hostname === '') return { ok: false, problem: `"${text}" names no host; write "grpcs://host:port"` };
  if (url.port === '' && !secure) return { ok: false, problem: `grpc://${url.hostname} needs a port, e.g. "grpc://${url.hostname}:50051"` };
  if (url.port !== '' && !validPort(url.port)) return { ok: false, problem: `port ${url.port} is out of range; use 1 to 65535` };
  const address = `${url.hostname}:${url.port || '443'}`;
  return { ok: true, target: { address, tls: secure, display: `${secure ? 'grpcs' : 'grpc'}://${address}` } };
}

function validPort(port: string): boolean {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65_535;
}
