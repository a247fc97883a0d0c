import type { Pipeline, PipelineEdge } from './schema.js';

/**
 * A flow edge with its position and the label used in messages
 * (`flow.paths[2]` or `flow.transitions[0]`).
 *
 * @example
 * ```ts
 * import type { FlowEdge } from 'ia-connectors';
 * const e: FlowEdge = { index: 0, label: 'flow.paths[0]', from: 'a', to: 'b', condition: { type: 'always' } };
 * ```
 */
export interface FlowEdge extends PipelineEdge {
  readonly index: number;
  readonly label: string;
}

/**
 * The pipeline's edges in declaration order, from `flow.paths` or `flow.transitions`.
 *
 * @example
 * ```ts
 * import { flowEdges, parsePipeline } from 'ia-connectors';
 * declare const json: string;
 * flowEdges(parsePipeline(json)).map((e) => `${e.from} -> ${e.to}`);
 * ```
 */
export function flowEdges(pipeline: Pipeline): FlowEdge[] {
  const key = pipeline.flow.transitions ? 'transitions' : 'paths';
  const edges = pipeline.flow.transitions ?? pipeline.flow.paths ?? [];
  return edges.map((edge, index) => ({ ...edge, index, label: `flow.${key}[${index}]` }));
}

/**
 * Edges grouped by the step they leave and the step they enter. Assumes every edge
 * names a known step (validation checks that first).
 *
 * @example
 * ```ts
 * import { indexEdges } from 'ia-connectors';
 * const { incoming } = indexEdges(['a', 'b'], [{ index: 0, label: 'flow.paths[0]', from: 'a', to: 'b', condition: { type: 'always' } }]);
 * incoming.get('b')?.length; // 1
 * ```
 */
export function indexEdges(stepIds: readonly string[], edges: readonly FlowEdge[]) {
  const outgoing = new Map<string, FlowEdge[]>(stepIds.map((id) => [id, []]));
  const incoming = new Map<string, FlowEdge[]>(stepIds.map((id) => [id, []]));
  for (const edge of edges) {
    outgoing.get(edge.from)?.push(edge);
    incoming.get(edge.to)?.push(edge);
  }
  return { outgoing, incoming };
}

/**
 * The first cycle found, as the step ids along it with the first repeated at the end
 * (`['a', 'b', 'a']`), or `undefined` when the graph is acyclic.
 *
 * @example
 * ```ts
 * import { findCycle } from 'ia-connectors';
 * findCycle(['a', 'b'], new Map([['a', ['b']], ['b', ['a']]])); // ['a', 'b', 'a']
 * ```
 */
export function findCycle(stepIds: readonly string[], next: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    state.set(id, 'open');
    stack.push(id);
    for (const to of next.get(id) ?? []) {
      if (state.get(to) === 'open') return [...stack.slice(stack.indexOf(to)), to];
      if (!state.has(to)) {
        const cycle = visit(to);
        if (cycle) return cycle;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const id of stepIds) {
    if (state.has(id)) continue;
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

/**
 * Every step reachable from `start` by following `next`, `start` included.
 *
 * @example
 * ```ts
 * import { reachableFrom } from 'ia-connectors';
 * reachableFrom('a', new Map([['a', ['b']], ['b', []]])); // Set { 'a', 'b' }
 * ```
 */
export function reachableFrom(start: string, next: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    for (const to of next.get(id) ?? []) {
      if (seen.has(to)) continue;
      seen.add(to);
      queue.push(to);
    }
  }
  return seen;
}
