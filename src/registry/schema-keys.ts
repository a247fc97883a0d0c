import type { z } from 'zod';

interface Def {
  type: string;
  shape?: Record<string, z.core.$ZodType>;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  options?: readonly z.core.$ZodType[];
  discriminator?: string;
}

const WRAPPERS = new Set(['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional']);

/**
 * The field names `schema` accepts for the object at `path` of `input`, following
 * wrappers, arrays, records and unions (a discriminated union by the input's
 * discriminator). Used to suggest the intended name for an unknown field; returns an
 * empty list where the schema has no fixed fields.
 *
 * @example
 * ```ts
 * import { knownKeysAt } from './schema-keys.js';
 * import { connectorConfigSchema } from 'ia-connectors';
 * knownKeysAt(connectorConfigSchema, ['redirect'], { name: 'a', redirect: {} }); // ['follow', 'max']
 * ```
 */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[], input: unknown): string[] {
  let node: z.core.$ZodType | undefined = schema;
  let value = input;
  for (let i = 0; node; i++) {
    node = unwrap(node, value);
    if (!node) return [];
    const def = defOf(node);
    if (i === path.length) return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
    const key = path[i] as PropertyKey;
    if (def.type === 'object') node = def.shape?.[String(key)];
    else if (def.type === 'array') node = def.element;
    else if (def.type === 'record') node = def.valueType;
    else return [];
    value = isRecord(value) ? value[key as string] : undefined;
  }
  return [];
}

function unwrap(schema: z.core.$ZodType, value: unknown): z.core.$ZodType | undefined {
  let node: z.core.$ZodType | undefined = schema;
  for (let guard = 0; node && guard < 20; guard++) {
    const def = defOf(node);
    if (WRAPPERS.has(def.type)) node = def.innerType;
    else if (def.type === 'pipe') node = def.in;
    else if (def.type === 'union') node = pickOption(def, value);
    else return node;
  }
  return node;
}

function pickOption(def: Def, value: unknown): z.core.$ZodType | undefined {
  const options = def.options ?? [];
  const disc = def.discriminator;
  if (disc !== undefined) {
    const tag = isRecord(value) ? value[disc] : undefined;
    return options.find((option) => {
      const field = defOf(unwrap(option, value) ?? option).shape?.[disc];
      return field !== undefined && (field as unknown as z.ZodType).safeParse(tag).success;
    });
  }
  return options.find((option) => defOf(unwrap(option, value) ?? option).type === 'object');
}

function defOf(schema: z.core.$ZodType): Def {
  return schema._zod.def as unknown as Def;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
