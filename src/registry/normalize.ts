import { storeConfigSchema } from '../policies/store-schema.js';
import { connectorDefaultsSchema, connectorsFileOutlineSchema } from './file-schema.js';
import { mergeDefaults } from './defaults.js';
import { issuesFromZod } from './issues.js';
import { convertLegacy, isLegacyConnector, mixedStyleProblem } from './legacy.js';
import { legacyConnectorConfigSchema, LEGACY_KEYS } from './legacy-schema.js';
import { remapIssue, type Issue, type Origin } from './origins.js';
import { connectorConfigSchema, protocolSchema, type ConnectorConfig } from './protocols.js';
import { misplacedSecretReferences } from './references.js';

/**
 * A validated connector and where it was written in the file.
 *
 * @example
 * ```ts
 * import type { NormalizedConnector } from './normalize.js';
 * const where = (c: NormalizedConnector) => c.path.join('.');
 * ```
 */
export interface NormalizedConnector {
  config: ConnectorConfig;
  /** Its path in the file, e.g. `['connectors', 2]`. */
  path: PropertyKey[];
  /** True when it was written in the legacy snake_case form. */
  legacy: boolean;
}

/**
 * The outcome of normalising a connectors file's content: the connectors that passed
 * and every issue found, at the paths the user wrote.
 *
 * @example
 * ```ts
 * import { normalizeConnectorsValue } from './normalize.js';
 * const { connectors, issues } = normalizeConnectorsValue({ connectors: [] });
 * ```
 */
export interface NormalizedConnectors {
  connectors: NormalizedConnector[];
  issues: Issue[];
}

/**
 * Checks a parsed connectors file and normalises it: legacy entries become camelCase,
 * `defaults` are merged, each connector is validated by its protocol's schema, names
 * must be unique, and secret references may appear only in auth fields and headers.
 * Every problem is collected rather than stopping at the first.
 *
 * @example
 * ```ts
 * import { normalizeConnectorsValue } from './normalize.js';
 * const { connectors } = normalizeConnectorsValue({ connectors: [{ name: 'a', base_url: 'https://x.test', max_retries: 2 }] });
 * connectors[0]?.config.retry; // maxAttempts 3, the other retry defaults filled in
 * ```
 */
export function normalizeConnectorsValue(value: unknown): NormalizedConnectors {
  const issues: Issue[] = [];
  if (value === null || value === undefined) {
    return { connectors: [], issues: [{ path: [], message: 'the file is empty; it needs a top-level "connectors:" list' }] };
  }
  const outline = connectorsFileOutlineSchema.safeParse(value);
  if (!outline.success) issues.push(...issuesFromZod(outline.error, connectorsFileOutlineSchema, value));
  const file = value as Record<string, unknown>;
  // The outline has reported a missing or malformed list; nothing more can be checked.
  if (!Array.isArray(file['connectors'])) return { connectors: [], issues };
  const defaults = validDefaults(file['defaults']);
  const store = storeConfigSchema.safeParse(file['store']).success ? file['store'] : undefined;
  const connectors: NormalizedConnector[] = [];
  file['connectors'].forEach((entry: unknown, index: number) => {
    const normalized = normalizeEntry(entry, ['connectors', index], { defaults, store }, issues);
    if (normalized) connectors.push(normalized);
  });
  issues.push(...duplicateNames(file['connectors']));
  return { connectors, issues };
}

/** Invalid defaults are reported once by the outline, not again in every connector, so they are not merged. */
function validDefaults(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined || !connectorDefaultsSchema.safeParse(value).success) return undefined;
  return value as Record<string, unknown>;
}

/** What the file gives every connector: its `defaults` and its top-level `store`, each only when valid (the outline reports them once). */
interface Shared {
  defaults: Record<string, unknown> | undefined;
  store: unknown;
}

function normalizeEntry(entry: unknown, base: PropertyKey[], { defaults, store }: Shared, issues: Issue[]): NormalizedConnector | undefined {
  let input: Record<string, unknown>;
  let origins: Origin[] = [];
  const legacy = isLegacyConnector(entry);
  if (legacy) {
    const mixed = mixedStyleProblem(entry);
    if (mixed) {
      const first = LEGACY_KEYS.find((key) => Object.hasOwn(entry, key)) as string;
      issues.push({ path: [...base, first], message: `this connector ${mixed}`, atKey: true });
      return undefined;
    }
    const parsed = legacyConnectorConfigSchema.safeParse(entry);
    if (!parsed.success) {
      issues.push(...issuesFromZod(parsed.error, legacyConnectorConfigSchema, entry).map((issue) => ({ ...issue, path: [...base, ...issue.path] })));
      return undefined;
    }
    ({ config: input, origins } = convertLegacy(parsed.data, base));
  } else if (typeof entry === 'object' && entry !== null && !Array.isArray(entry)) {
    input = entry as Record<string, unknown>;
  } else {
    issues.push({ path: base, message: 'each connector must be a mapping with at least name and baseUrl' });
    return undefined;
  }
  const schema = protocolSchema(input['protocol']);
  if (schema && defaults) {
    const merged = mergeDefaults(input, defaults, new Set(Object.keys(schema.shape)));
    input = merged.config;
    origins = [...origins, ...merged.origins];
  }
  // The file's store applies to each connector that sets none (in itself or in defaults).
  if (store !== undefined && input['store'] === undefined) {
    input = { ...input, store };
    origins = [...origins, { target: ['store'], source: ['store'] }];
  }
  const misplaced = misplacedSecretReferences(input);
  for (const problem of misplaced) issues.push(remapIssue(problem, origins, base));
  const result = connectorConfigSchema.safeParse(input);
  if (!result.success) {
    issues.push(...issuesFromZod(result.error, connectorConfigSchema, input).map((issue) => remapIssue(issue, origins, base)));
    return undefined;
  }
  return misplaced.length > 0 ? undefined : { config: result.data, path: base, legacy };
}

function duplicateNames(entries: unknown[]): Issue[] {
  const first = new Map<string, number>();
  const issues: Issue[] = [];
  entries.forEach((entry, index) => {
    const name = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)['name'] : undefined;
    if (typeof name !== 'string') return;
    const earlier = first.get(name);
    if (earlier === undefined) {
      first.set(name, index);
      return;
    }
    issues.push({
      path: ['connectors', index, 'name'],
      message: `duplicate name "${name}", already used by connectors[${earlier}]; give each connector its own name`,
      related: ['connectors', earlier, 'name'],
    });
  });
  return issues;
}
