import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../core/error-codes.js';

const errorCode = z.string().refine((code): code is ErrorCode => Object.hasOwn(ERROR_CODES, code), { error: 'is not a known error code' });

/**
 * The schema of a stored error (`RecordedError`): a known code, the redacted message,
 * whether it may be retried, and JSON details.
 *
 * @example
 * ```ts
 * import { recordedErrorSchema } from './error-schema.js';
 * recordedErrorSchema.parse({ code: 'TIMEOUT', message: 'no reply', retryable: true });
 * ```
 */
export const recordedErrorSchema = z.object({ code: errorCode, message: z.string(), retryable: z.boolean(), details: z.record(z.string(), z.unknown()).optional() });
