import { ConnectorError } from '../core/errors.js';
import type { Pipeline } from '../pipeline/schema.js';
import { hasTemplate } from '../pipeline/template.js';
import { closestMatch } from '../registry/suggest.js';

/**
 * A connector a pipeline names, and the problem-text label of where it does.
 *
 * @example
 * ```ts
 * import type { ConnectorUse } from './pipeline-connectors.js';
 * const use: ConnectorUse = { name: 'users_api', where: 'step "fetch_user" config.connector' };
 * ```
 */
export interface ConnectorUse {
  name: string;
  where: string;
}

/**
 * Every connector a pipeline names in `config.connector` of its steps and of steps
 * nested under `config.step` (foreach), in order; templated names are left to run time.
 *
 * @example
 * ```ts
 * import { connectorUses } from './pipeline-connectors.js';
 * declare const pipeline: import('ia-connectors').Pipeline;
 * connectorUses(pipeline).map((u) => u.name);
 * ```
 */
export function connectorUses(pipeline: Pipeline): ConnectorUse[] {
  const uses: ConnectorUse[] = [];
  for (const step of pipeline.steps) {
    let config: unknown = step.config;
    let path = 'config';
    while (typeof config === 'object' && config !== null) {
      const { connector, step: nested } = config as { connector?: unknown; step?: { config?: unknown } };
      if (typeof connector === 'string' && !hasTemplate(connector)) uses.push({ name: connector, where: `step "${step.id}" ${path}.connector` });
      config = typeof nested === 'object' && nested !== null ? nested.config : undefined;
      path += '.step.config';
    }
  }
  return uses;
}

/**
 * Throws one `UNKNOWN_CONNECTOR` error listing each use of a connector the file does
 * not define, with the closest known name.
 *
 * @example
 * ```ts
 * import { assertConnectorsKnown } from './pipeline-connectors.js';
 * assertConnectorsKnown([{ name: 'user_api', where: 'step "a" config.connector' }], ['users_api'], 'connectors.yaml');
 * // throws: step "a" config.connector: no connector named "user_api" in connectors.yaml. Did you mean "users_api"? ...
 * ```
 */
export function assertConnectorsKnown(uses: readonly ConnectorUse[], known: readonly string[], file: string): void {
  const missing = uses.filter((use) => !known.includes(use.name));
  if (missing.length === 0) return;
  const list = known.length === 0 ? `${file} defines no connectors` : `${file} defines ${known.join(', ')}`;
  const lines = missing.map((use) => {
    const guess = closestMatch(use.name, known);
    return `  - ${use.where}: no connector named "${use.name}" in ${file}.${guess === undefined ? '' : ` Did you mean "${guess}"?`} ${list}; add it there or fix the name`;
  });
  throw new ConnectorError('UNKNOWN_CONNECTOR', `${missing.length} unknown connector${missing.length === 1 ? '' : 's'}:\n${lines.join('\n')}`, {
    details: { missing: missing.map((m) => m.name), known: [...known] },
  });
}
