import { ConnectorError } from '../../../src/core/errors.js';
import type { ConnectorLookup, PipelineDefinition } from '../../../src/pipeline/index.js';

/**
 * A promise with its resolve/reject exposed, to hold a step open until the test says so.
 *
 * @example
 * ```ts
 * const d: Deferred<number> = deferred<number>();
 * ```
 */
export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

/**
 * Creates a {@link Deferred}.
 *
 * @example
 * ```ts
 * const gate = deferred();
 * setTimeout(() => gate.resolve(), 5);
 * await gate.promise;
 * ```
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/**
 * A lookup for pipelines that make no calls: any use is a test bug.
 *
 * @example
 * ```ts
 * await runPipeline(pipeline, { connectors: noConnectors, steps });
 * ```
 */
export const noConnectors: ConnectorLookup = {
  get: async (name) => {
    throw new ConnectorError('UNKNOWN_CONNECTOR', `no connector named "${name}" in this test`);
  },
};

/**
 * A pipeline from steps (type `record` unless given) and edges, starting at the first step.
 *
 * @example
 * ```ts
 * const p = pipelineOf([{ id: 'a' }, { id: 'b' }], [['a', 'b']]);
 * ```
 */
export function pipelineOf(
  steps: Array<{ id: string; type?: string; inputs?: Record<string, unknown>; config?: Record<string, unknown> }>,
  edges: Array<[string, string] | { from: string; to: string; condition?: unknown }>,
  extra: Partial<PipelineDefinition> = {},
): PipelineDefinition {
  const first = steps[0]?.id ?? 'none';
  return {
    name: 'test',
    steps: steps.map((s) => ({ type: 'record', inputs: {}, config: {}, ...s })),
    flow: {
      start_at: first,
      paths: edges.map((e) => (Array.isArray(e) ? { from: e[0], to: e[1] } : e)) as never,
    },
    ...extra,
  };
}

/**
 * Waits until `check()` is true, yielding to the event loop between checks; no clock involved.
 *
 * @example
 * ```ts
 * await until(() => started.includes('b'), 'b to start');
 * ```
 */
export async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (check()) return;
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`timed out waiting for ${what}`);
}
