import type { ConnectorLookup } from './connectors.js';

/**
 * Progress a step reports while it runs; the runner adds the step id and passes it to
 * `onEvent`. `page`: one page of a paginated call arrived with `items` items;
 * `items`: `completed` of `total` items of a `foreach` are done; `message`: free text.
 *
 * @example
 * ```ts
 * import type { StepProgress } from 'ia-connectors';
 * const p: StepProgress = { type: 'page', page: 2, items: 50 };
 * ```
 */
export type StepProgress =
  | { type: 'page'; page: number; items: number }
  | { type: 'items'; completed: number; total: number }
  | { type: 'message'; message: string };

/**
 * What a step handler returns: its `result` (what templates and conditions read) and,
 * optionally, how many requests it made, retries included.
 *
 * @example
 * ```ts
 * import type { StepOutput } from 'ia-connectors';
 * const out: StepOutput = { result: { total: 3 }, attempts: 1 };
 * ```
 */
export interface StepOutput {
  result: unknown;
  attempts?: number;
}

/**
 * What a step handler receives. `inputs` and `config` arrive with their templates
 * already resolved (except the keys the step declared `rawConfigKeys`).
 *
 * @example
 * ```ts
 * import type { StepContext, StepOutput } from 'ia-connectors';
 * async function count(ctx: StepContext): Promise<StepOutput> {
 *   const list = ctx.inputs['list'] as unknown[];
 *   ctx.emit({ type: 'message', message: `counting ${list.length}` });
 *   return { result: list.length };
 * }
 * ```
 */
export interface StepContext {
  readonly stepId: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly config: Readonly<Record<string, unknown>>;
  /** The run's parameters: pipeline defaults overridden by the run's `parameters`. */
  readonly parameters: Readonly<Record<string, unknown>>;
  readonly pipelineInput: Readonly<Record<string, unknown>>;
  /** Results of the steps that succeeded before this one started. */
  readonly results: Readonly<Record<string, unknown>>;
  /** Aborted when the run is aborted; pass it on to every call. */
  readonly signal: AbortSignal;
  readonly connectors: ConnectorLookup;
  emit(progress: StepProgress): void;
  /**
   * Resolves templates in `value` with the run's scope plus local `variables` (e.g.
   * `item`, `index`); for steps that keep raw settings and resolve them later.
   */
  render(value: unknown, variables?: Record<string, unknown>, location?: string): unknown;
  /** Runs another registered step type with this step's scope; used by `foreach`. */
  runNested(type: string, settings: { stepId: string; inputs: unknown; config: unknown; variables: Record<string, unknown> }): Promise<StepOutput>;
}

/**
 * A step implementation: resolved settings in, result out. Throw a ConnectorError (or
 * any error, reported as `STEP`) to fail the step.
 *
 * @example
 * ```ts
 * import type { StepHandler } from 'ia-connectors';
 * const upper: StepHandler = async (ctx) => ({ result: String(ctx.inputs['text']).toUpperCase() });
 * ```
 */
export type StepHandler = (ctx: StepContext) => Promise<StepOutput>;

/**
 * Optional facts a step type declares when it is registered.
 *
 * @example
 * ```ts
 * import type { StepTypeOptions } from 'ia-connectors';
 * const o: StepTypeOptions = { rawConfigKeys: ['step'], variables: ['item', 'index'] };
 * ```
 */
export interface StepTypeOptions {
  /**
   * Config keys the runner leaves unresolved, because the step resolves them itself
   * (foreach's `step`, with `item` and `index` in scope) or must not template them
   * at all (api_call's `endpoint`, whose values must go through encoded placeholders).
   */
  rawConfigKeys?: readonly string[];
  /** Local names the step puts in scope when it resolves its raw keys (foreach: `item`, `index`). */
  variables?: readonly string[];
  /**
   * Checks a step's unresolved settings before anything runs; throw a ConnectorError
   * to reject the pipeline. `types` looks up other step types (for nested steps).
   */
  validate?: (step: StepSettings, types: StepTypes) => void;
  /** Replace a type already registered instead of throwing. */
  replace?: boolean;
}

/**
 * A step's unresolved settings as written in the pipeline.
 *
 * @example
 * ```ts
 * import type { StepSettings } from 'ia-connectors';
 * const s: StepSettings = { id: 'load', inputs: {}, config: { connector: 'catalog', endpoint: '/regions' } };
 * ```
 */
export interface StepSettings {
  id: string;
  inputs: Record<string, unknown>;
  config: Record<string, unknown>;
}

/**
 * A registered step type: its handler and the options it was registered with.
 *
 * @example
 * ```ts
 * import type { StepDefinition } from 'ia-connectors';
 * const d: StepDefinition = { type: 'noop', handler: async () => ({ result: null }), rawConfigKeys: [], variables: [] };
 * ```
 */
export interface StepDefinition {
  readonly type: string;
  readonly handler: StepHandler;
  readonly rawConfigKeys: readonly string[];
  readonly variables: readonly string[];
  readonly validate?: (step: StepSettings, types: StepTypes) => void;
}

/**
 * Read access to registered step types.
 *
 * @example
 * ```ts
 * import type { StepTypes } from 'ia-connectors';
 * declare const types: StepTypes;
 * types.get('api_call')?.handler;
 * ```
 */
export interface StepTypes {
  get(type: string): StepDefinition | undefined;
  types(): string[];
}

/**
 * What a protocol step's execute function needs outside the step's own settings: the
 * connectors, the run's signal, the step id for messages and a progress callback.
 *
 * @example
 * ```ts
 * import type { StepCallDeps } from 'ia-connectors';
 * declare const registry: import('ia-connectors').ConnectorLookup;
 * const deps: StepCallDeps = { registry, stepId: 'fetch_user' };
 * ```
 */
export interface StepCallDeps {
  registry: ConnectorLookup;
  signal?: AbortSignal;
  stepId?: string;
  emit?: (progress: StepProgress) => void;
}
