import { z } from 'zod';
import { durationMs } from '../../core/config.js';
import { CONDITION_OPERATORS } from '../conditions-schema.js';

/**
 * When a `websocket` step stops collecting: an expression over each received
 * message, read as `message.<path>` (the message itself is included).
 *
 * @example
 * ```ts
 * import { websocketUntilSchema } from 'ia-connectors';
 * websocketUntilSchema.parse({ source: 'message.type', operator: 'equals', value: 'done' });
 * ```
 */
export const websocketUntilSchema = z
  .strictObject({
    source: z.string({ error: 'must be a reference such as "message.type"' }).min(1, { error: 'must not be empty' }),
    operator: z.enum(CONDITION_OPERATORS, { error: `must be one of ${CONDITION_OPERATORS.join(', ')}` }),
    value: z.unknown().optional(),
  })
  .superRefine((until, ctx) => {
    if (until.operator !== 'exists' && until.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${until.operator}" needs a value to compare with, e.g. "value": "done"` });
    }
  });

/**
 * Settings of the `websocket` step, in the pipeline's snake_case vocabulary. It
 * sends `message` (if any), then either waits for the reply to it (`request: true`)
 * or collects incoming messages until `count` arrived, `until` holds, or `timeout`
 * passes.
 *
 * @example
 * ```ts
 * import { websocketStepConfigSchema } from 'ia-connectors';
 * websocketStepConfigSchema.parse({ connector: 'market', message: { type: 'subscribe', topic: 'ticker' }, count: 3, output_field: 'ticks' });
 * ```
 */
export const websocketStepConfigSchema = z
  .strictObject({
    connector: z.string({ error: 'must name a connector, e.g. "market_feed"' }).min(1, { error: 'must not be empty' }),
    /** Sent first; objects as JSON, strings as text. Templates are resolved. */
    message: z.unknown().optional(),
    /** Send `message` with a correlation id and return the reply carrying it. */
    request: z.boolean({ error: 'must be true or false' }).default(false),
    /** Stop after this many messages. @default 1 when `until` is not set */
    count: z.number({ error: 'must be a whole number of messages, e.g. 3' }).int({ error: 'must be a whole number of messages, e.g. 3' }).min(1, { error: 'must be at least 1' }).max(100_000).optional(),
    /** Stop at the first message for which this holds (it is included). */
    until: websocketUntilSchema.optional(),
    /** Longest wait in ms for the reply or for the messages. */
    timeout: durationMs().default(10_000),
    /** What a timeout does: `error` (the step fails) or `return` (what was collected so far). */
    on_timeout: z.enum(['error', 'return'], { error: 'must be "error" or "return"' }).default('error'),
    /** Put the result under this field instead of returning it bare. */
    output_field: z.string({ error: 'must be a field name such as "ticks"' }).min(1).optional(),
  })
  .superRefine((config, ctx) => {
    if (!config.request) return;
    if (config.message === undefined) ctx.addIssue({ code: 'custom', path: ['message'], message: 'request: true needs a message to send' });
    for (const field of ['count', 'until'] as const) {
      if (config[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'applies to collecting messages, not to request: true; remove it' });
    }
  });

/**
 * What a pipeline author writes for a `websocket` step.
 *
 * @example
 * ```ts
 * import type { WebSocketStepConfig } from 'ia-connectors';
 * const c: WebSocketStepConfig = { connector: 'rpc', message: { method: 'add', params: [1, 2] }, request: true };
 * ```
 */
export type WebSocketStepConfig = z.input<typeof websocketStepConfigSchema>;
