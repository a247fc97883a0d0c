import { z } from 'zod';
import { durationMs } from '../../core/config.js';
import { expirySkewSchema, headerNameSchema, unauthorizedStatusesSchema } from '../common-schema.js';
import { secretString } from '../secret-schema.js';
import { JWT_ALGORITHMS } from './keys.js';

const RESERVED_CLAIMS = ['iss', 'sub', 'aud', 'exp', 'iat', 'nbf', 'jti'];

/** A private JWK given inline in code. */
const jwkObject = z.object({ kty: z.string() }).catchall(z.unknown());

/**
 * The key and claims of a JWT the connector signs, shared by `jwt` auth and the
 * OAuth 2.0 `jwt_bearer` grant's assertion.
 *
 * @example
 * ```ts
 * import { jwtSigningShape } from 'ia-connectors';
 * Object.keys(jwtSigningShape); // ['algorithm', 'secret', 'privateKey', ...]
 * ```
 */
export const jwtSigningShape = {
  /** Inferred from the key when omitted: HS256 for `secret`; RS256, ES256 or EdDSA for `privateKey`. */
  algorithm: z.enum(JWT_ALGORITHMS, { error: `must be one of ${JWT_ALGORITHMS.join(', ')}` }).optional(),
  /** HS256 shared secret (at least 32 bytes). */
  secret: secretString().optional(),
  /** PEM or JWK private key; usually `${file:/run/secrets/key.pem}`. */
  privateKey: z.union([secretString(), jwkObject], { error: 'must be a PEM or JWK string, a reference, or a JWK object' }).optional(),
  /** The `kid` header. */
  keyId: z.string().min(1).optional(),
  issuer: z.string().min(1).optional(),
  subject: z.string().min(1).optional(),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  /** How long each token is valid (`exp - iat`). */
  lifetime: durationMs().default(300_000),
  /** Further claims; the registered ones have their own fields. */
  claims: z
    .record(z.string(), z.unknown())
    .default({})
    .superRefine((claims, ctx) => {
      for (const name of Object.keys(claims)) {
        if (RESERVED_CLAIMS.includes(name)) {
          ctx.addIssue({ code: 'custom', path: [name], message: `"${name}" is set by the connector; use issuer, subject, audience or lifetime instead` });
        }
      }
    }),
};

/**
 * Checks that exactly one key is given and that it fits `algorithm`.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { jwtSigningShape, checkSigningKey } from 'ia-connectors';
 * const schema = z.object(jwtSigningShape).superRefine(checkSigningKey);
 * ```
 */
export function checkSigningKey(
  value: { algorithm?: string | undefined; secret?: string | undefined; privateKey?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (value.secret !== undefined && value.privateKey !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'give either secret (HS256) or privateKey, not both' });
  } else if (value.secret === undefined && value.privateKey === undefined) {
    ctx.addIssue({ code: 'custom', path: ['privateKey'], message: 'is required: a PEM or JWK private key, or set secret for HS256' });
  } else if (value.secret !== undefined && value.algorithm !== undefined && value.algorithm !== 'HS256') {
    ctx.addIssue({ code: 'custom', path: ['algorithm'], message: `${value.algorithm} signs with a private key; set privateKey instead of secret, or use HS256` });
  } else if (value.privateKey !== undefined && value.algorithm === 'HS256') {
    ctx.addIssue({ code: 'custom', path: ['algorithm'], message: 'HS256 signs with a shared secret; set secret instead of privateKey' });
  }
}

/**
 * `jwt`: the connector signs its own JWT (HS256, RS256, ES256 or EdDSA) and sends it
 * as `Authorization: Bearer <jwt>`; cached until shortly before it expires, or signed
 * per request with `cache: false`.
 *
 * @example
 * ```ts
 * import { jwtAuthSchema } from 'ia-connectors';
 * jwtAuthSchema.parse({ type: 'jwt', privateKey: '${file:/run/secrets/jwt.pem}', issuer: 'etl', audience: 'https://api.example.com', keyId: 'k1' });
 * ```
 */
export const jwtAuthSchema = z
  .object({
    type: z.literal('jwt'),
    ...jwtSigningShape,
    /** Reuse one token until `expirySkew` before it expires; `false` signs per request. */
    cache: z.boolean().default(true),
    expirySkew: expirySkewSchema(),
    header: headerNameSchema().default('Authorization'),
    /** Put before the token in the header; `''` sends the bare token. */
    scheme: z.string().default('Bearer'),
    unauthorizedStatuses: unauthorizedStatusesSchema(),
  })
  .strict()
  .superRefine(checkSigningKey);

/**
 * Parsed {@link jwtAuthSchema}.
 *
 * @example
 * ```ts
 * import { jwtAuthSchema, type JwtAuthConfig } from 'ia-connectors';
 * const c: JwtAuthConfig = jwtAuthSchema.parse({ type: 'jwt', secret: '${env:JWT_SECRET}' });
 * ```
 */
export type JwtAuthConfig = z.output<typeof jwtAuthSchema>;
