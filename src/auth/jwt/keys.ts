import { createPrivateKey, type KeyObject } from 'node:crypto';
import { importJWK, importPKCS8, type CryptoKey, type JWK } from 'jose';
import { ConnectorError } from '../../core/errors.js';

/**
 * The JWS algorithms a connector signs with.
 *
 * @example
 * ```ts
 * import { JWT_ALGORITHMS } from 'ia-connectors';
 * JWT_ALGORITHMS.includes('ES256'); // true
 * ```
 */
export const JWT_ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;

/**
 * One of {@link JWT_ALGORITHMS}.
 *
 * @example
 * ```ts
 * import type { JwtAlgorithm } from 'ia-connectors';
 * const alg: JwtAlgorithm = 'RS256';
 * ```
 */
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/**
 * A key ready to sign: imported once at connect.
 *
 * @example
 * ```ts
 * import type { SigningKey } from 'ia-connectors';
 * const k: SigningKey = { alg: 'HS256', key: new TextEncoder().encode('a'.repeat(32)) };
 * ```
 */
export interface SigningKey {
  alg: JwtAlgorithm;
  /** A WebCrypto key for RS256/ES256/EdDSA (also usable by oauth4webapi), bytes for HS256. */
  key: CryptoKey | Uint8Array;
  kid?: string;
}

/**
 * Where a key comes from, with secrets already resolved. `field` names the config
 * path in error messages (never the key).
 *
 * @example
 * ```ts
 * import type { KeyMaterial } from 'ia-connectors';
 * const m: KeyMaterial = { field: 'auth', secret: 'x'.repeat(32), algorithm: 'HS256' };
 * ```
 */
export interface KeyMaterial {
  field: string;
  /** HS256 shared secret. */
  secret?: string;
  /** PEM (PKCS#8, PKCS#1 or SEC1) or a private JWK, as JSON text or object. */
  privateKey?: string | JWK;
  algorithm?: JwtAlgorithm;
  keyId?: string;
}

/**
 * Imports a signing key with `jose` (PEM through Node's key parser, so PKCS#1 and
 * SEC1 work too) and infers the algorithm from the key when not given: RSA → RS256,
 * EC P-256 → ES256, Ed25519 → EdDSA. A bad key is a `CONFIG` error.
 *
 * @example
 * ```ts
 * import { importSigningKey } from 'ia-connectors';
 * const key = await importSigningKey({ field: 'auth', secret: 'a-shared-secret-of-32-bytes-or-more!' });
 * ```
 */
export async function importSigningKey(material: KeyMaterial): Promise<SigningKey> {
  const { field } = material;
  if (material.secret !== undefined) {
    const bytes = new TextEncoder().encode(material.secret);
    if (bytes.length < 32) {
      throw configError(`${field}.secret is ${bytes.length} bytes; HS256 needs at least 32 bytes (256 bits) of secret`);
    }
    return { alg: 'HS256', key: bytes, ...(material.keyId ? { kid: material.keyId } : {}) };
  }
  const raw = material.privateKey;
  if (raw === undefined) throw configError(`${field}: set privateKey (PEM or JWK), or secret for HS256`);
  const jwk = typeof raw === 'object' ? raw : raw.trimStart().startsWith('{') ? parseJwk(raw, field) : undefined;
  if (jwk) return importFromJwk(jwk, material);
  return importFromPem(raw as string, material);
}

async function importFromPem(pem: string, material: KeyMaterial): Promise<SigningKey> {
  const { field } = material;
  let keyObject: KeyObject;
  try {
    keyObject = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'unreadable';
    throw configError(`${field}.privateKey is not a usable private key in PEM (${code}); give an unencrypted PKCS#8, PKCS#1 or SEC1 private key`);
  }
  const alg = algorithmOf(keyObject, field);
  checkAlgorithm(alg, material);
  if (alg === 'RS256' && (keyObject.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw configError(`${field}.privateKey is an RSA key shorter than 2048 bits; RS256 needs 2048 bits or more`);
  }
  const pkcs8 = keyObject.export({ format: 'pem', type: 'pkcs8' }).toString();
  const key = await importPKCS8(pkcs8, alg);
  return { alg, key, ...(material.keyId ? { kid: material.keyId } : {}) };
}

async function importFromJwk(jwk: JWK, material: KeyMaterial): Promise<SigningKey> {
  const { field } = material;
  if (typeof jwk.d !== 'string') throw configError(`${field}.privateKey is a public JWK (no "d"); give the private key`);
  const alg = jwk.kty === 'RSA' ? 'RS256' : jwk.kty === 'EC' && jwk.crv === 'P-256' ? 'ES256' : jwk.kty === 'OKP' && jwk.crv === 'Ed25519' ? 'EdDSA' : undefined;
  if (!alg) {
    throw configError(`${field}.privateKey is a JWK of kty "${String(jwk.kty)}"${jwk.crv ? ` crv "${jwk.crv}"` : ''}; use RSA, EC P-256 or OKP Ed25519`);
  }
  checkAlgorithm(alg, material);
  let key: CryptoKey | Uint8Array;
  try {
    key = await importJWK(jwk, alg);
  } catch (error) {
    throw configError(`${field}.privateKey is not a valid ${alg} JWK (${(error as { code?: string }).code ?? 'invalid'})`);
  }
  const kid = material.keyId ?? jwk.kid;
  return { alg, key, ...(kid ? { kid } : {}) };
}

function algorithmOf(key: KeyObject, field: string): JwtAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  throw configError(`${field}.privateKey is a ${key.asymmetricKeyType ?? 'unknown'}${curve ? ` (${curve})` : ''} key; use RSA (RS256), EC P-256 (ES256) or Ed25519 (EdDSA)`);
}

function checkAlgorithm(inferred: JwtAlgorithm, material: KeyMaterial): void {
  if (material.algorithm !== undefined && material.algorithm !== inferred) {
    throw configError(`${material.field}.algorithm is ${material.algorithm} but the private key is a ${inferred} key; change algorithm to ${inferred} or give a matching key`);
  }
}

function parseJwk(text: string, field: string): JWK {
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as JWK;
  } catch {
    // reported below without echoing the text, which is key material
  }
  throw configError(`${field}.privateKey starts with "{" but is not a JSON object; give a private JWK or a PEM key`);
}

function configError(message: string): ConnectorError {
  return new ConnectorError('CONFIG', message);
}
