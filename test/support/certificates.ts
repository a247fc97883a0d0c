import { generate } from 'selfsigned';

/** A PEM private key and the self-signed certificate that goes with it. */
export interface TestCertificate {
  key: string;
  cert: string;
}

// Captured at import time, before a test can install fake timers: OpenSSL checks
// validity against the real clock, so a faked Date would yield an expired certificate.
const realNow = Date.now.bind(Date);

const HOUR_MS = 60 * 60 * 1000;

let cached: Promise<TestCertificate> | undefined;

/**
 * Returns a self-signed certificate for `localhost` whose subjectAltName holds
 * both `DNS:localhost` and `IP:127.0.0.1`, so a client that trusts it as `ca`
 * can verify a server reached at `https://127.0.0.1:<port>`.
 *
 * Generated once per test file (the promise is cached in this module) with an
 * EC P-256 key, which takes milliseconds where RSA takes far longer.
 *
 * @example
 * ```ts
 * const { key, cert } = await generateTestCertificate();
 * const server = await startServer({ https: { key, cert } });
 * const agent = new Agent({ connect: { ca: cert } });
 * ```
 */
export function generateTestCertificate(): Promise<TestCertificate> {
  cached ??= create().catch((error: unknown) => {
    // A failed attempt must not poison every later caller in the file.
    cached = undefined;
    throw error;
  });
  return cached;
}

async function create(): Promise<TestCertificate> {
  const now = realNow();
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // Backdated an hour so a slightly skewed clock between generation and the
    // TLS check cannot make the certificate "not yet valid".
    notBeforeDate: new Date(now - HOUR_MS),
    notAfterDate: new Date(now + 24 * HOUR_MS),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  });
  return { key: pems.private, cert: pems.cert };
}
