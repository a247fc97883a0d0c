import { z } from 'zod';
import { configErrorFrom } from '../../core/config.js';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { StepContext, StepHandler, StepOutput, StepSettings, StepTypeOptions, StepTypes } from '../step-types.js';
import { isPlainObject } from '../render.js';
import { hasTemplate } from '../template.js';

const nestedStepSchema = z.looseObject({
  type: z.string({ error: 'must name a step type, e.g. "api_call"' }).min(1),
  inputs: z.record(z.string(), z.unknown(), { error: 'must be an object of inputs' }).optional(),
  config: z.record(z.string(), z.unknown(), { error: 'must be an object of settings' }).default({}),
});

/**
 * Settings of the `foreach` step: the list to walk, the step to run per item (with
 * `{{ item }}` and `{{ index }}` in scope), and how many items run at once.
 *
 * @example
 * ```ts
 * import { foreachConfigSchema } from 'ia-connectors';
 * foreachConfigSchema.parse({ items: [1, 2], step: { type: 'api_call', config: { connector: 'c', endpoint: '/x/{item}' } } });
 * ```
 */
export const foreachConfigSchema = z.strictObject({
  items: z.array(z.unknown(), { error: 'must be a list, e.g. "{{ load.users }}"' }),
  step: nestedStepSchema,
  concurrency: z.number().int().min(1, { error: 'must be at least 1' }).max(256, { error: 'must be at most 256' }).default(4),
});

// Inputs default to templates, not the values: data from a server must never be
// re-read as a template.
const DEFAULT_INPUTS = { item: '{{ item }}', index: '{{ index }}' };

/**
 * The `foreach` step type. Results come back in input order. After one item fails no
 * new item starts; those running finish, then the step fails naming the first failed
 * item by index.
 *
 * @example
 * ```ts
 * import { StepRegistry, foreachHandler, foreachOptions } from 'ia-connectors';
 * new StepRegistry().register('foreach', foreachHandler, foreachOptions);
 * ```
 */
export const foreachHandler: StepHandler = async (ctx) => {
  const parsed = foreachConfigSchema.safeParse(ctx.config);
  if (!parsed.success) {
    const error = configErrorFrom(parsed.error, `foreach settings of step "${ctx.stepId}"`);
    throw new ConnectorError('PIPELINE', error.message, { details: error.details });
  }
  const { items, step, concurrency } = parsed.data;
  const results: unknown[] = new Array<unknown>(items.length);
  const failures: { index: number; error: unknown }[] = [];
  let attempts = 0;
  let completed = 0;
  await forEachLimited(items.length, concurrency, async (index) => {
    if (failures.length > 0 || ctx.signal.aborted) return;
    try {
      const out: StepOutput = await runItem(ctx, step, items[index], index);
      results[index] = out.result;
      attempts += out.attempts ?? 0;
    } catch (error) {
      failures.push({ index, error });
    }
    completed++;
    ctx.emit({ type: 'items', completed, total: items.length });
  });
  const first = failures.sort((a, b) => a.index - b.index)[0];
  if (first) {
    const message = first.error instanceof Error ? first.error.message : String(first.error);
    throw new ConnectorError(isConnectorError(first.error) ? first.error.code : 'STEP', `step "${ctx.stepId}": item ${first.index} failed: ${message}`, {
      cause: first.error,
      details: { index: first.index, failed: failures.length, ...(isConnectorError(first.error) ? first.error.details : {}) },
    });
  }
  if (ctx.signal.aborted) throw new ConnectorError('ABORTED', `step "${ctx.stepId}": aborted after ${completed} of ${items.length} items`);
  return attempts > 0 ? { result: results, attempts } : { result: results };
};

function runItem(ctx: StepContext, step: z.output<typeof nestedStepSchema>, item: unknown, index: number): Promise<StepOutput> {
  const nested = foreachItemStep(ctx.stepId, step, index);
  return ctx.runNested(nested.type, { stepId: nested.id, inputs: nested.inputs, config: nested.config, variables: { item, index } });
}

/**
 * The step `foreach` runs for item `index`, still unresolved: its id names the item
 * (`each[3]`), and inputs default to `{ item, index }`. Resolve it with `item` and
 * `index` in scope, as `executeStep(step, run, { item, index })` does.
 *
 * @example
 * ```ts
 * import { foreachItemStep } from './foreach.js';
 * foreachItemStep('each', { type: 'api_call', config: { connector: 'c', endpoint: '/x' } }, 3).id; // 'each[3]'
 * ```
 */
export function foreachItemStep(
  stepId: string,
  step: { type: string; inputs?: Record<string, unknown> | undefined; config: Record<string, unknown> },
  index: number,
): { id: string; type: string; inputs: Record<string, unknown>; config: Record<string, unknown> } {
  return { id: `${stepId}[${index}]`, type: step.type, inputs: step.inputs ?? DEFAULT_INPUTS, config: step.config };
}

async function forEachLimited(count: number, limit: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) await work(index);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
}

/**
 * Registration options of `foreach`: `step` is resolved per item with `item` and
 * `index` in scope, and its type and settings are checked before the run.
 *
 * @example
 * ```ts
 * import { foreachOptions } from 'ia-connectors';
 * foreachOptions.variables; // ['item', 'index']
 * ```
 */
export const foreachOptions: StepTypeOptions = { rawConfigKeys: ['step'], variables: ['item', 'index'], validate: validateForeachSettings };

function validateForeachSettings(settings: StepSettings, types: StepTypes): void {
  const { items, step } = settings.config;
  if (!(typeof items === 'string' && hasTemplate(items)) && !Array.isArray(items)) {
    throw new ConnectorError('PIPELINE', 'config.items must be a list or a template such as "{{ load.users }}"');
  }
  const nested = nestedStepSchema.safeParse(step);
  if (!nested.success) {
    throw new ConnectorError('PIPELINE', `config.step must be { "type", "config" }: ${nested.error.issues.map((i) => i.message).join('; ')}`);
  }
  const definition = types.get(nested.data.type);
  if (!definition) {
    throw new ConnectorError('PIPELINE', `config.step.type: unknown step type "${nested.data.type}"; known types: ${types.types().join(', ')}`);
  }
  const inputs = isPlainObject(nested.data.inputs) ? nested.data.inputs : {};
  definition.validate?.({ id: `${settings.id}.step`, inputs, config: nested.data.config }, types);
}
