import { z } from 'zod';

/**
 * The operators an `expression` condition understands.
 *
 * @example
 * ```ts
 * import { CONDITION_OPERATORS } from 'ia-connectors/pipeline';
 * CONDITION_OPERATORS.includes('greater_than'); // true
 * ```
 */
export const CONDITION_OPERATORS = [
  'equals',
  'not_equals',
  'greater_than',
  'greater_than_or_equal',
  'less_than',
  'less_than_or_equal',
  'contains',
  'exists',
  'equals_ignore_case',
] as const;

/**
 * One of {@link CONDITION_OPERATORS}.
 *
 * @example
 * ```ts
 * import type { ConditionOperator } from 'ia-connectors/pipeline';
 * const op: ConditionOperator = 'contains';
 * ```
 */
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

const operatorSchema = z.enum(CONDITION_OPERATORS, {
  error: `must be one of ${CONDITION_OPERATORS.join(', ')}`,
});

const expressionConfigSchema = z
  .strictObject({
    source: z.string({ error: 'must be a reference such as "result.user.post_count" or "parameters.limit"' }),
    operator: operatorSchema,
    value: z.unknown().optional(),
  })
  .superRefine((config, ctx) => {
    if (config.operator !== 'exists' && config.value === undefined) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${config.operator}" needs a value to compare with, e.g. "value": 1` });
    }
  });

/**
 * When a flow edge fires: `always` (the default), when a run `parameter` is truthy (or
 * equals `value`), or when an `expression` over the source step's result holds.
 *
 * @example
 * ```ts
 * import { conditionSchema } from 'ia-connectors/pipeline';
 * conditionSchema.parse({ type: 'expression', config: { source: 'result.count', operator: 'greater_than', value: 0 } });
 * ```
 */
export const conditionSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({ type: z.literal('always') }),
    z.strictObject({
      type: z.literal('parameter'),
      config: z.strictObject({
        parameter: z.string({ error: 'must name a pipeline parameter, e.g. "enable_prices"' }).min(1, { error: 'must not be empty' }),
        value: z.unknown().optional(),
      }),
    }),
    z.strictObject({ type: z.literal('expression'), config: expressionConfigSchema }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'must have type "always", "parameter" or "expression"' : undefined) },
);

/**
 * A parsed edge condition.
 *
 * @example
 * ```ts
 * import type { Condition } from 'ia-connectors/pipeline';
 * const c: Condition = { type: 'parameter', config: { parameter: 'enable_prices' } };
 * ```
 */
export type Condition = z.output<typeof conditionSchema>;
