import { z } from 'zod';
import { durationMs } from '../core/config.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * A header name (RFC 9110 token), e.g. `X-API-Key`.
 *
 * @example
 * ```ts
 * import { headerNameSchema } from 'ia-connectors';
 * headerNameSchema().parse('X-API-Key');
 * ```
 */
export function headerNameSchema() {
  return z
    .string({ error: 'must be a header name such as "X-API-Key"' })
    .regex(HEADER_NAME, { error: 'is not a valid header name; use letters, digits and "-", e.g. "X-API-Key"' });
}

/**
 * True for a valid header name (RFC 9110 token).
 *
 * @example
 * ```ts
 * import { isHeaderName } from 'ia-connectors';
 * isHeaderName('X-API-Key'); // true
 * ```
 */
export function isHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/**
 * The statuses that mean "credentials rejected": the credential is dropped, renewed
 * once and the request repeated once. Default `[401]`.
 *
 * @example
 * ```ts
 * import { unauthorizedStatusesSchema } from 'ia-connectors';
 * unauthorizedStatusesSchema().parse([401, 403]);
 * ```
 */
export function unauthorizedStatusesSchema() {
  return z
    .array(z.number().int().min(400, { error: 'must be a 4xx status' }).max(499, { error: 'must be a 4xx status' }))
    .default([401]);
}

/**
 * How long before expiry a cached credential is renewed (capped at half its lifetime,
 * so short-lived tokens are still used). Default 30 s.
 *
 * @example
 * ```ts
 * import { expirySkewSchema } from 'ia-connectors';
 * expirySkewSchema().parse(60_000);
 * ```
 */
export function expirySkewSchema() {
  return durationMs().default(30_000);
}

/**
 * When a credential that expires at `expiresAt` (obtained at `obtainedAt`) should be
 * renewed: `skewMs` before expiry, but never earlier than half-way through its life.
 *
 * @example
 * ```ts
 * import { staleAt } from 'ia-connectors';
 * staleAt(0, 60_000, 30_000); // 30000
 * ```
 */
export function staleAt(obtainedAt: number, expiresAt: number | undefined, skewMs: number): number {
  if (expiresAt === undefined) return Number.POSITIVE_INFINITY;
  return expiresAt - Math.min(skewMs, Math.max(0, expiresAt - obtainedAt) / 2);
}
