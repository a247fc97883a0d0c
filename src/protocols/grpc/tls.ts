import { readFile } from 'node:fs/promises';
import { credentials, type ChannelCredentials } from '@grpc/grpc-js';
import { ConnectorError } from '../../core/errors.js';
import type { GrpcConnectorConfig } from './config.js';

const PEM = /-----BEGIN [A-Z0-9 ]+-----/;

/**
 * The channel credentials a config asks for: plaintext, TLS with the system roots, or
 * TLS with a private CA and/or a client certificate (mutual TLS). Certificate and key
 * files are read here, at connect; a missing, unreadable or non-PEM file is a
 * `CONFIG` error naming the field and the path, never the file's content.
 *
 * @example
 * ```ts
 * import { channelCredentials } from './tls.js';
 * const creds = await channelCredentials({ ca: '/etc/ssl/private-ca.pem', rejectUnauthorized: true });
 * ```
 */
export async function channelCredentials(tls: Exclude<GrpcConnectorConfig['tls'], undefined>): Promise<ChannelCredentials> {
  if (tls === false) return credentials.createInsecure();
  if (tls === true) return credentials.createSsl();
  const [ca, cert, key] = await Promise.all([pem(tls.ca, 'tls.ca', 'CERTIFICATE'), pem(tls.cert, 'tls.cert', 'CERTIFICATE'), pem(tls.key, 'tls.key', 'PRIVATE KEY')]);
  const verify = tls.rejectUnauthorized ? {} : { rejectUnauthorized: false };
  try {
    return credentials.createSsl(ca ?? null, key ?? null, cert ?? null, verify);
  } catch (error) {
    // grpc-js parses the PEMs here; its message names the problem but never the key material.
    throw new ConnectorError('CONFIG', `tls: the certificates or key cannot be used (${error instanceof Error ? error.message : String(error)}); check that tls.cert and tls.key belong together`, {
      cause: error,
    });
  }
}

async function pem(value: string | undefined, field: string, kind: string): Promise<Buffer | undefined> {
  if (value === undefined) return undefined;
  if (PEM.test(value)) return Buffer.from(value);
  let text: string;
  try {
    text = await readFile(value, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? 'error'})`;
    throw new ConnectorError('CONFIG', `${field}: file "${value}" ${problem}; give the path of a PEM file (${kind}) or the PEM text itself`, {
      cause: error,
      details: { field, path: value },
    });
  }
  if (!PEM.test(text)) {
    throw new ConnectorError('CONFIG', `${field}: "${value}" is not a PEM file (no "-----BEGIN ...-----" line); convert it, e.g. openssl x509 -outform PEM`, {
      details: { field, path: value },
    });
  }
  return Buffer.from(text);
}
