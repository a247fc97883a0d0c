import { describe, expect, it } from 'vitest';
import { policyConfigShape } from '../../src/policies/schema.js';
import { restConnectorConfigSchema } from '../../src/protocols/rest/config.js';
import { connectorsFileJsonSchema } from '../../src/registry/json-schema.js';
import { LEGACY_KEYS } from '../../src/registry/legacy-schema.js';
import { CONNECTOR_PROTOCOLS } from '../../src/registry/protocols.js';

type JsonSchema = { [key: string]: unknown; properties?: Record<string, JsonSchema>; required?: string[]; anyOf?: JsonSchema[]; oneOf?: JsonSchema[]; items?: JsonSchema };

/** Every object schema under a union, flattened. */
function objectBranches(schema: JsonSchema | undefined): JsonSchema[] {
  if (!schema) return [];
  const nested = [...(schema.anyOf ?? []), ...(schema.oneOf ?? [])];
  return nested.length > 0 ? nested.flatMap(objectBranches) : [schema];
}

describe('connectorsFileJsonSchema', () => {
  const schema = connectorsFileJsonSchema() as JsonSchema;
  const branches = objectBranches(schema.properties?.['connectors']?.items);
  const rest = branches.find((b) => b.properties?.['baseUrl'] !== undefined);
  const legacy = branches.find((b) => b.properties?.['base_url'] !== undefined);

  it('is a draft 2020-12 object schema that survives JSON serialisation', () => {
    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['type']).toBe('object');
    expect(schema.required).toEqual(['connectors']);
    expect(schema['additionalProperties']).toBe(false);
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('describes every field of the REST config, because it is generated from the zod schema', () => {
    expect(rest?.required).toEqual(['name', 'baseUrl']);
    expect(Object.keys(rest?.properties ?? {}).sort()).toEqual(Object.keys(restConnectorConfigSchema.shape).sort());
    expect(rest?.properties?.['protocol']).toMatchObject({ const: 'rest' });
    expect(rest?.properties?.['connections']).toMatchObject({ type: 'integer', minimum: 1, maximum: 4096 });
  });

  it('describes the legacy form and the defaults', () => {
    for (const key of LEGACY_KEYS) expect(legacy?.properties).toHaveProperty(key);
    expect(legacy?.required).toEqual(['name', 'base_url']);
    const defaults = schema.properties?.['defaults'];
    expect(Object.keys(defaults?.properties ?? {}).sort()).toEqual(['headers', ...Object.keys(policyConfigShape)].sort());
  });

  it('has one branch per protocol plus the legacy form', () => {
    expect(branches).toHaveLength(Object.keys(CONNECTOR_PROTOCOLS).length + 1);
  });
});
