import { generate } from 'selfsigned';

/** A private CA, a server certificate it signed, and a client certificate it signed. */
export interface GrpcTestPki {
  ca: { key: string; cert: string };
  /** For `localhost` and 127.0.0.1. */
  server: { key: string; cert: string };
  /** For mutual TLS. */
  client: { key: string; cert: string };
  /** A second, unrelated CA: trusting it must fail the handshake. */
  otherCa: { cert: string };
}

// Captured at import time, before a test can fake the clock: OpenSSL checks validity
// against the real one.
const realNow = Date.now.bind(Date);
const HOUR_MS = 60 * 60 * 1000;

let cached: Promise<GrpcTestPki> | undefined;

/**
 * Generates (once per test file) a CA with a server and a client certificate, all EC
 * P-256 so generation takes milliseconds. The server certificate names `localhost`,
 * `grpc.test` and `IP:127.0.0.1`, so a client can verify a server reached at
 * 127.0.0.1 directly or with a server-name override.
 *
 * @example
 * ```ts
 * const pki = await generateGrpcPki();
 * const creds = ServerCredentials.createSsl(Buffer.from(pki.ca.cert), [{ private_key: Buffer.from(pki.server.key), cert_chain: Buffer.from(pki.server.cert) }]);
 * ```
 */
export function generateGrpcPki(): Promise<GrpcTestPki> {
  cached ??= create().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function create(): Promise<GrpcTestPki> {
  const now = realNow();
  const validity = { notBeforeDate: new Date(now - HOUR_MS), notAfterDate: new Date(now + 24 * HOUR_MS) };
  const base = { keyType: 'ec' as const, curve: 'P-256' as const, algorithm: 'sha256', ...validity };
  const authority = () =>
    generate([{ name: 'commonName', value: 'ia-connectors test CA' }], {
      ...base,
      extensions: [
        { name: 'basicConstraints', cA: true, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      ],
    });
  const [ca, other] = await Promise.all([authority(), authority()]);
  const signer = { ca: { key: ca.private, cert: ca.cert } };
  const [server, client] = await Promise.all([
    generate([{ name: 'commonName', value: 'localhost' }], {
      ...base,
      ...signer,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 2, value: 'grpc.test' }, { type: 7, ip: '127.0.0.1' }] },
      ],
    }),
    generate([{ name: 'commonName', value: 'test-client' }], {
      ...base,
      ...signer,
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
      ],
    }),
  ]);
  return {
    ca: { key: ca.private, cert: ca.cert },
    server: { key: server.private, cert: server.cert },
    client: { key: client.private, cert: client.cert },
    otherCa: { cert: other.cert },
  };
}
