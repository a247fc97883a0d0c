import { randomUUID } from 'node:crypto';
import { SignJWT, type JWTPayload } from 'jose';
import type { SigningKey } from './keys.js';

/**
 * The claims of a JWT to sign; times are computed at signing.
 *
 * @example
 * ```ts
 * import type { JwtClaimsSpec } from 'ia-connectors';
 * const spec: JwtClaimsSpec = { issuer: 'etl', audience: 'https://api.example.com', lifetime: 300_000, claims: { scope: 'read' } };
 * ```
 */
export interface JwtClaimsSpec {
  issuer?: string | undefined;
  subject?: string | undefined;
  audience?: string | string[] | undefined;
  /** Milliseconds from `iat` to `exp`. */
  lifetime: number;
  claims?: Record<string, unknown>;
}

/**
 * A signed JWT and when it expires (`Date.now()` milliseconds).
 *
 * @example
 * ```ts
 * import type { SignedJwt } from 'ia-connectors';
 * const t: SignedJwt = { token: 'eyJ...', issuedAt: 0, expiresAt: 300_000 };
 * ```
 */
export interface SignedJwt {
  token: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Signs a JWT with `jose`: header `alg`, `typ: JWT` and `kid` when known; claims
 * `iat`, `exp`, a random `jti`, plus `iss`, `sub`, `aud` and custom claims.
 *
 * @example
 * ```ts
 * import { importSigningKey, signJwt } from 'ia-connectors';
 * const key = await importSigningKey({ field: 'auth', secret: 'a-shared-secret-of-32-bytes-or-more!' });
 * const { token } = await signJwt(key, { issuer: 'etl', lifetime: 60_000 });
 * ```
 */
export async function signJwt(key: SigningKey, spec: JwtClaimsSpec, now = Date.now()): Promise<SignedJwt> {
  // Whole seconds, as the claims are; exp is derived from the rounded iat so the lifetime is exact.
  const iat = Math.floor(now / 1000);
  const exp = iat + Math.max(1, Math.round(spec.lifetime / 1000));
  const jwt = new SignJWT({ ...(spec.claims as JWTPayload | undefined) })
    .setProtectedHeader({ alg: key.alg, typ: 'JWT', ...(key.kid ? { kid: key.kid } : {}) })
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(randomUUID());
  if (spec.issuer !== undefined) jwt.setIssuer(spec.issuer);
  if (spec.subject !== undefined) jwt.setSubject(spec.subject);
  if (spec.audience !== undefined) jwt.setAudience(spec.audience);
  return { token: await jwt.sign(key.key), issuedAt: iat * 1000, expiresAt: exp * 1000 };
}
