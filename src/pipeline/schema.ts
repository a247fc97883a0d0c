import { z } from 'zod';
import { conditionSchema } from './conditions-schema.js';

const STEP_ID = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const objectOf = (what: string) =>
  z.record(z.string(), z.unknown(), { error: `must be an object of ${what}, e.g. { "name": "{{ parameters.name }}" }` });

const edgeSchema = z.looseObject({
  from: z.string({ error: 'must be the id of the step the edge leaves' }),
  to: z.string({ error: 'must be the id of the step the edge enters' }),
  condition: conditionSchema.default({ type: 'always' }),
});

// ia_modules writes `step_class` where we write `type`; both are read, `type` is what code sees.
const stepSchema = z
  .looseObject({
    id: z
      .string({ error: 'must be a string such as "fetch_user"' })
      .regex(STEP_ID, { error: 'use letters, digits, "_" or "-", starting with a letter or "_", e.g. "fetch_user"' }),
    name: z.string().optional(),
    type: z.string().min(1, { error: 'must not be empty' }).optional(),
    step_class: z.string().min(1, { error: 'must not be empty' }).optional(),
    inputs: objectOf('inputs').default({}),
    config: objectOf('settings').default({}),
  })
  .superRefine((step, ctx) => {
    if (step.type === undefined && step.step_class === undefined) {
      ctx.addIssue({ code: 'custom', path: ['type'], message: 'is missing; set the step type, e.g. "type": "api_call"' });
    } else if (step.type !== undefined && step.step_class !== undefined && step.type !== step.step_class) {
      ctx.addIssue({ code: 'custom', path: ['step_class'], message: `says "${step.step_class}" but type says "${step.type}"; keep only one` });
    }
  })
  .transform(({ step_class, ...rest }) => ({ ...rest, type: (rest.type ?? step_class) as string }));

const flowSchema = z
  .looseObject({
    start_at: z.string({ error: 'is missing; name the first step, e.g. "start_at": "fetch_user"' }),
    paths: z.array(edgeSchema, { error: 'must be a list of { "from", "to", "condition"? } edges' }).optional(),
    transitions: z.array(edgeSchema, { error: 'must be a list of { "from", "to", "condition"? } edges' }).optional(),
  })
  .superRefine((flow, ctx) => {
    if (flow.paths !== undefined && flow.transitions !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['transitions'], message: 'use either flow.paths or flow.transitions, not both' });
    }
  });

/**
 * The ia_modules JSON pipeline format. Unknown fields (`name`, `description` on steps,
 * metadata at the top) are kept, so pipelines written for ia_modules load unchanged.
 *
 * @example
 * ```ts
 * import { pipelineSchema } from 'ia-connectors';
 * pipelineSchema.parse({ name: 'p', steps: [{ id: 'a', type: 'noop' }], flow: { start_at: 'a' } });
 * ```
 */
export const pipelineSchema = z.looseObject({
  name: z.string({ error: 'is missing; give the pipeline a name, e.g. "User report"' }),
  version: z.union([z.string(), z.number().transform(String)], { error: 'must be a string such as "1.0"' }).optional(),
  description: z.string({ error: 'must be a string' }).optional(),
  parameters: objectOf('default parameter values').default({}),
  steps: z
    .array(stepSchema, { error: 'must be a list of steps, each { "id", "type", "inputs", "config" }' })
    .min(1, { error: 'must contain at least one step' }),
  flow: flowSchema,
  outputs: objectOf('output templates').default({}),
});

/**
 * What a pipeline author writes (defaults optional, `step_class` accepted for `type`).
 *
 * @example
 * ```ts
 * import type { PipelineDefinition } from 'ia-connectors';
 * const p: PipelineDefinition = { name: 'p', steps: [{ id: 'a', step_class: 'noop' }], flow: { start_at: 'a' } };
 * ```
 */
export type PipelineDefinition = z.input<typeof pipelineSchema>;

/**
 * A parsed pipeline: every default filled, each step's `type` set. Parsing it again
 * gives the same pipeline.
 *
 * @example
 * ```ts
 * import { parsePipeline, type Pipeline } from 'ia-connectors';
 * const p: Pipeline = parsePipeline('{"name":"p","steps":[{"id":"a","type":"noop"}],"flow":{"start_at":"a"}}');
 * ```
 */
export type Pipeline = z.output<typeof pipelineSchema>;

/**
 * One parsed step.
 *
 * @example
 * ```ts
 * import type { PipelineStep } from 'ia-connectors';
 * const s: PipelineStep = { id: 'a', type: 'noop', inputs: {}, config: {} };
 * ```
 */
export type PipelineStep = Pipeline['steps'][number];

/**
 * One parsed flow edge, its condition defaulted to `always`.
 *
 * @example
 * ```ts
 * import type { PipelineEdge } from 'ia-connectors';
 * const e: PipelineEdge = { from: 'a', to: 'b', condition: { type: 'always' } };
 * ```
 */
export type PipelineEdge = z.output<typeof edgeSchema>;
