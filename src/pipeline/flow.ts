import { evaluateCondition } from './conditions.js';
import { executeStep, toStepError, type RunState } from './execute-step.js';
import { flowEdges, indexEdges, reachableFrom, type FlowEdge } from './graph.js';
import type { PipelineEvent, RunResult, StepRecord } from './run-types.js';
import type { Pipeline } from './schema.js';

/**
 * Where a flow ended: a record per step, and what failed the run, if anything.
 *
 * @example
 * ```ts
 * import type { FlowOutcome } from 'ia-connectors';
 * declare const o: FlowOutcome;
 * Object.keys(o.records);
 * ```
 */
export interface FlowOutcome {
  records: Record<string, StepRecord>;
  failure?: RunResult['error'];
}

/**
 * Runs a validated pipeline's steps. A step starts once every incoming edge is resolved
 * (its source finished or was skipped) and at least one fired; if none fired it is
 * skipped, which resolves its own edges in turn. Independent branches run concurrently.
 * After a failure or an abort no step starts; running steps finish.
 *
 * @example
 * ```ts
 * import { executeFlow } from 'ia-connectors';
 * declare const pipeline: import('ia-connectors').Pipeline;
 * declare const run: import('ia-connectors').RunState;
 * const { records, failure } = await executeFlow(pipeline, run, () => {});
 * ```
 */
export function executeFlow(pipeline: Pipeline, run: RunState, emit: (event: PipelineEvent) => void): Promise<FlowOutcome> {
  const ids = pipeline.steps.map((s) => s.id);
  const steps = new Map(pipeline.steps.map((s) => [s.id, s]));
  const edges = flowEdges(pipeline);
  const { incoming, outgoing } = indexEdges(ids, edges);
  const fired = new Map<FlowEdge, boolean>();
  const records: Record<string, StepRecord> = {};
  const results = run.scope.results as Map<string, unknown>;
  const skipped = run.scope.skipped as Set<string>;
  let failure: FlowOutcome['failure'];
  let running = 0;

  return new Promise((resolve) => {
    const halted = (): string | undefined => (run.signal.aborted ? 'the run was aborted' : failure ? 'the run failed' : undefined);

    const skip = (id: string, reason: string): void => {
      if (records[id]) return;
      records[id] = { status: 'skipped', reason };
      skipped.add(id);
      emit({ type: 'step_skipped', stepId: id, reason });
      for (const edge of outgoing.get(id) ?? []) resolveEdge(edge, false);
    };

    const resolveEdge = (edge: FlowEdge, fires: boolean): void => {
      fired.set(edge, fires);
      decide(edge.to);
    };

    const decide = (id: string): void => {
      if (records[id]) return;
      const into = incoming.get(id) ?? [];
      if (into.some((edge) => !fired.has(edge))) return;
      const stop = halted();
      if (stop) skip(id, stop);
      else if (into.some((edge) => fired.get(edge))) launch(id);
      else skip(id, `no incoming edge fired (${into.map((e) => e.from).join(', ')})`);
    };

    const launch = (id: string): void => {
      const step = steps.get(id);
      if (!step) return;
      const restored = run.checkpoint?.restored?.[id];
      if (restored && restored.status !== 'skipped') {
        restore(id, restored);
        return;
      }
      const startedAt = new Date().toISOString();
      const t0 = performance.now();
      records[id] = { status: 'succeeded', startedAt };
      running++;
      emit({ type: 'step_started', stepId: id, stepType: step.type });
      executeStep(step, run).then(
        async (output) => {
          const durationMs = performance.now() - t0;
          const attempts = output.attempts === undefined ? {} : { attempts: output.attempts };
          records[id] = { status: 'succeeded', startedAt, durationMs, ...attempts, result: output.result };
          const kept = await saved(id);
          results.set(id, output.result);
          emit({ type: 'step_finished', stepId: id, status: 'succeeded', durationMs, ...attempts });
          if (kept) followEdges(id);
        },
        async (error: unknown) => {
          const durationMs = performance.now() - t0;
          const stepError = toStepError(error);
          records[id] = { status: 'failed', startedAt, durationMs, error: stepError };
          failure ??= { ...stepError, stepId: id };
          await saved(id);
          emit({ type: 'step_finished', stepId: id, status: 'failed', durationMs, error: stepError });
          for (const edge of outgoing.get(id) ?? []) resolveEdge(edge, false);
        },
      ).finally(() => {
        running--;
        if (running === 0) finish();
      });
    };

    // A step an earlier attempt finished: its record stands in for running it again.
    const restore = (id: string, record: StepRecord): void => {
      records[id] = record;
      if (record.status === 'succeeded') {
        results.set(id, record.result);
        followEdges(id);
        return;
      }
      failure ??= { ...(record.error ?? { code: 'STEP', message: `step "${id}" failed` }), stepId: id };
      for (const edge of outgoing.get(id) ?? []) resolveEdge(edge, false);
    };

    const saved = async (id: string): Promise<boolean> => {
      const record = records[id];
      if (!run.checkpoint || !record) return true;
      try {
        await run.checkpoint.save(id, record);
        return true;
      } catch (error) {
        const stepError = toStepError(error);
        failure ??= { ...stepError, message: `step "${id}": its checkpoint could not be saved: ${stepError.message}`, stepId: id };
        for (const edge of outgoing.get(id) ?? []) resolveEdge(edge, false);
        return false;
      }
    };

    // Every condition is evaluated before any target is decided, so that a condition
    // error stops the run before a sibling branch starts.
    const followEdges = (id: string): void => {
      const decisions = (outgoing.get(id) ?? []).map((edge) => {
        try {
          return [edge, evaluateCondition(edge.condition, run.scope, edge.label, id)] as const;
        } catch (error) {
          failure ??= { ...toStepError(error), stepId: id };
          return [edge, false] as const;
        }
      });
      for (const [edge, fires] of decisions) resolveEdge(edge, fires);
    };

    const finish = (): void => {
      for (const id of ids) skip(id, halted() ?? 'not reached');
      if (!failure && run.signal.aborted) failure = { code: 'ABORTED', message: 'the run was aborted' };
      resolve(failure ? { records, failure } : { records });
    };

    const start = pipeline.flow.start_at;
    const next = new Map([...outgoing].map(([id, out]) => [id, out.map((e) => e.to)]));
    const reachable = reachableFrom(start, next);
    for (const id of ids) if (!reachable.has(id)) skip(id, `not reachable from flow.start_at "${start}"`);
    const stop = halted();
    if (stop) skip(start, stop);
    else launch(start);
    if (running === 0) finish();
  });
}
