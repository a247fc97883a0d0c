import protobuf from 'protobufjs';
import { closestMatch } from '../../registry/suggest.js';
import { scalarCheck, describeValue } from './validate-scalars.js';

/**
 * Where a message does not match its type, and what is wrong there. The problem
 * describes the value's type, never the value, since a message may hold secrets.
 *
 * @example
 * ```ts
 * import type { MessageProblem } from './validate.js';
 * const p: MessageProblem = { path: 'request.times', problem: 'expected an int32 ..., got a string' };
 * ```
 */
export interface MessageProblem {
  path: string;
  problem: string;
}

type Check = (value: unknown, path: string) => MessageProblem | undefined;

const compiled = new WeakMap<protobuf.Type, Check>();

/**
 * A checker for plain-object messages of `type`, compiled once per type and cached:
 * unknown fields (with a suggestion), wrong value types, lists and maps, enum names,
 * nested messages, and two members of one `oneof` set at once. `null` and `undefined`
 * mean "not set" and pass, as they do when the message is encoded.
 *
 * @example
 * ```ts
 * import protobuf from 'protobufjs';
 * import { messageChecker } from './validate.js';
 * const type = protobuf.parse('syntax = "proto3"; message M { int32 n = 1; }').root.lookupType('M');
 * messageChecker(type)({ n: 'x' }, 'request'); // { path: 'request.n', problem: 'expected an int32 ...' }
 * ```
 */
export function messageChecker(type: protobuf.Type): Check {
  const cached = compiled.get(type);
  if (cached) return cached;
  // Fields compile on first use, so a type that contains itself does not recurse here.
  let fields: Map<string, { check: Check; oneof: protobuf.OneOf | null }> | undefined;
  const name = type.fullName.slice(1);
  const oneofNames = new Set(type.oneofsArray.map((o) => o.name));
  const check: Check = (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
      return { path, problem: `expected a ${name} message (an object), got ${describeValue(value)}` };
    }
    const record = value as Record<string, unknown>;
    if (name === 'google.protobuf.Any' && typeof record['@type'] === 'string') return undefined;
    fields ??= compileFields(type);
    let chosen: Map<protobuf.OneOf, string> | undefined;
    for (const key of Object.keys(record)) {
      const item = record[key];
      const field = fields.get(key);
      if (!field) {
        // Decoded messages name the set member of each oneof; echoing one back is harmless.
        if (oneofNames.has(key) && (item === undefined || typeof item === 'string')) continue;
        return { path: `${path}.${key}`, problem: unknownField(type, key) };
      }
      if (item === undefined || item === null) continue;
      const problem = field.check(item, `${path}.${key}`);
      if (problem) return problem;
      if (field.oneof) {
        chosen ??= new Map();
        const other = chosen.get(field.oneof);
        if (other !== undefined) {
          return { path: `${path}.${key}`, problem: `"${other}" and "${key}" are both set, but they belong to oneof "${field.oneof.name}"; set only one` };
        }
        chosen.set(field.oneof, key);
      }
    }
    return undefined;
  };
  compiled.set(type, check);
  return check;
}

function compileFields(type: protobuf.Type): Map<string, { check: Check; oneof: protobuf.OneOf | null }> {
  const out = new Map<string, { check: Check; oneof: protobuf.OneOf | null }>();
  for (const field of type.fieldsArray) {
    field.resolve();
    const single = valueCheck(field.type, field.resolvedType);
    let check: Check = single;
    if (field instanceof protobuf.MapField) check = mapCheck(field.keyType, single);
    else if (field.repeated) check = listCheck(field.type, single);
    out.set(field.name, { check, oneof: field.partOf });
  }
  return out;
}

function valueCheck(typeName: string, resolved: protobuf.Type | protobuf.Enum | null): Check {
  if (resolved instanceof protobuf.Type) return (value, path) => messageChecker(resolved)(value, path);
  if (resolved instanceof protobuf.Enum) return enumCheck(resolved);
  return scalarCheck(typeName);
}

function listCheck(typeName: string, item: Check): Check {
  return (value, path) => {
    if (!Array.isArray(value)) return { path, problem: `expected a list of ${typeName}, got ${describeValue(value)}` };
    for (let i = 0; i < value.length; i++) {
      const problem = item(value[i], `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
}

function mapCheck(keyType: string, item: Check): Check {
  const key = keyType === 'string' ? undefined : keyType === 'bool' ? /^(true|false)$/ : /^-?\d+$/;
  return (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { path, problem: `expected a map (an object with ${keyType} keys), got ${describeValue(value)}` };
    }
    for (const [k, v] of Object.entries(value)) {
      const at = `${path}[${JSON.stringify(k)}]`;
      if (key && !key.test(k)) return { path: at, problem: `map keys are ${keyType}; this key is not one` };
      const problem = item(v, at);
      if (problem) return problem;
    }
    return undefined;
  };
}

function enumCheck(type: protobuf.Enum): Check {
  const names = Object.keys(type.values);
  const name = type.fullName.slice(1);
  return (value, path) => {
    if (typeof value === 'string' && Object.hasOwn(type.values, value)) return undefined;
    if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= 2_147_483_647) return undefined;
    const shown = typeof value === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(value) ? `"${value}"` : describeValue(value);
    const guess = typeof value === 'string' ? closestMatch(value, names) : undefined;
    return { path, problem: `${shown} is not a value of enum ${name}; use one of ${names.join(', ')}${guess ? ` (did you mean "${guess}"?)` : ''}` };
  };
}

function unknownField(type: protobuf.Type, key: string): string {
  const names = type.fieldsArray.map((f) => f.name);
  const guess = closestMatch(key, names);
  const list = names.length > 0 ? `its fields are ${names.join(', ')}` : 'it has no fields';
  return `unknown field of ${type.fullName.slice(1)}${guess ? `; did you mean "${guess}"?` : ''} (${list})`;
}
