import { formatPath } from '../core/config.js';
import { isConnectorError } from '../core/errors.js';
import { flowEdges, indexEdges, reachableFrom } from './graph.js';
import { parsePath, type PathSegment } from './path.js';
import { isPlainObject } from './render.js';
import type { Pipeline } from './schema.js';
import type { StepTypes } from './step-types.js';
import { hasTemplate, parseTemplate } from './template.js';

/**
 * One reference found in a pipeline, with what it may legally point at.
 *
 * @example
 * ```ts
 * import type { FoundReference } from 'ia-connectors';
 * const r: FoundReference = { where: 'step "b" inputs.id', source: '{{ a.id }}', path: ['a', 'id'], variables: [], upstream: new Set(['a']) };
 * ```
 */
export interface FoundReference {
  /** Owner and location, e.g. `step "merge" config.body.prices`. */
  readonly where: string;
  /** The text as written, e.g. `{{ prices.items }}`. */
  readonly source: string;
  readonly path: PathSegment[];
  /** Local names in scope at this place. */
  readonly variables: readonly string[];
  /** Steps this place may read; `undefined` means any (pipeline outputs). */
  readonly upstream?: ReadonlySet<string>;
  /** The step whose upstream `upstream` is, for messages. */
  readonly reader?: string;
}

/**
 * Finds every template and condition source in a pipeline whose graph is valid. Syntax
 * errors are returned as problem texts so that all of them can be reported at once.
 *
 * @example
 * ```ts
 * import { collectReferences, createStepRegistry, parsePipeline } from 'ia-connectors';
 * declare const json: string;
 * const { references, problems } = collectReferences(parsePipeline(json), createStepRegistry());
 * ```
 */
export function collectReferences(pipeline: Pipeline, types: StepTypes): { references: FoundReference[]; problems: string[] } {
  const references: FoundReference[] = [];
  const problems: string[] = [];
  const ids = pipeline.steps.map((s) => s.id);
  const edges = flowEdges(pipeline);
  const { incoming } = indexEdges(ids, edges);
  const previous = new Map(ids.map((id) => [id, (incoming.get(id) ?? []).map((e) => e.from)]));
  const upstreamOf = (id: string) => new Set([...reachableFrom(id, previous)].filter((x) => x !== id));

  const walk = (value: unknown, base: Omit<FoundReference, 'source' | 'path' | 'where'>, owner: string, location: PathSegment[]) => {
    forEachString(value, location, (text, at) => {
      if (!hasTemplate(text)) return;
      const where = at.length > 0 ? `${owner} ${formatPath(at)}` : owner;
      try {
        for (const part of parseTemplate(text, where)) {
          if (part.kind === 'ref') references.push({ ...base, where, source: part.source, path: part.path });
        }
      } catch (error) {
        problems.push(isConnectorError(error) ? error.message : String(error));
      }
    });
  };

  for (const step of pipeline.steps) {
    const definition = types.get(step.type);
    const raw = new Set(definition?.rawConfigKeys ?? []);
    const base = { upstream: upstreamOf(step.id), reader: step.id };
    walk(step.inputs, { ...base, variables: [] }, `step "${step.id}"`, ['inputs']);
    for (const [key, value] of Object.entries(step.config)) {
      const variables = raw.has(key) ? (definition?.variables ?? []) : [];
      walk(value, { ...base, variables }, `step "${step.id}"`, ['config', key]);
    }
  }
  for (const edge of edges) {
    if (edge.condition.type !== 'expression') continue;
    const { source } = edge.condition.config;
    const where = `${edge.label}.condition.config.source`;
    const path = parsePath(source.trim());
    if (!path) {
      problems.push(`${where}: "${source}" is not a reference; write e.g. "result.user.post_count" or "parameters.limit"`);
      continue;
    }
    const upstream = upstreamOf(edge.from).add(edge.from);
    references.push({ where, source: `"${source}"`, path, variables: ['result'], upstream, reader: edge.from });
  }
  walk(pipeline.outputs, { variables: [] }, 'pipeline', ['outputs']);
  return { references, problems };
}

function forEachString(value: unknown, location: PathSegment[], visit: (text: string, at: PathSegment[]) => void): void {
  if (typeof value === 'string') visit(value, location);
  else if (Array.isArray(value)) value.forEach((item, i) => forEachString(item, [...location, i], visit));
  else if (isPlainObject(value)) for (const [key, item] of Object.entries(value)) forEachString(item, [...location, key], visit);
}
