import { ConnectorError } from '../core/errors.js';
import type { StepDefinition, StepHandler, StepTypeOptions, StepTypes } from './step-types.js';

/**
 * Step types by name. {@link createStepRegistry} returns one holding the built-in
 * `api_call` and `foreach`; `new StepRegistry()` starts empty.
 *
 * @example
 * ```ts
 * import { createStepRegistry } from 'ia-connectors';
 * const steps = createStepRegistry().register('sum', async (ctx) => ({
 *   result: (ctx.inputs['values'] as number[]).reduce((a, b) => a + b, 0),
 * }));
 * ```
 */
export class StepRegistry implements StepTypes {
  readonly #types = new Map<string, StepDefinition>();

  /**
   * Adds a step type. Registering a name twice throws unless `replace: true`, so two
   * plugins cannot silently shadow each other.
   */
  register(type: string, handler: StepHandler, options: StepTypeOptions = {}): this {
    if (type.trim() === '') throw new ConnectorError('CONFIG', 'a step type needs a non-empty name, e.g. "send_email"');
    if (this.#types.has(type) && options.replace !== true) {
      throw new ConnectorError('CONFIG', `step type "${type}" is already registered; pass { replace: true } to replace it`);
    }
    this.#types.set(type, {
      type,
      handler,
      rawConfigKeys: options.rawConfigKeys ?? [],
      variables: options.variables ?? [],
      ...(options.validate ? { validate: options.validate } : {}),
    });
    return this;
  }

  /** The definition registered under `type`, if any. */
  get(type: string): StepDefinition | undefined {
    return this.#types.get(type);
  }

  /** True when `type` is registered. */
  has(type: string): boolean {
    return this.#types.has(type);
  }

  /** Registered type names, in registration order. */
  types(): string[] {
    return [...this.#types.keys()];
  }
}
