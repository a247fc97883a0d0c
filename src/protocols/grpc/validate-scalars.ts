import type { MessageProblem } from './validate.js';

type Check = (value: unknown, path: string) => MessageProblem | undefined;

const INT64 = /^-?\d+$/;
const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;
const SPECIAL_FLOATS = new Set(['NaN', 'Infinity', '-Infinity']);

const int32 = range('an int32', -2_147_483_648, 2_147_483_647);
const uint32 = range('a uint32', 0, 4_294_967_295);
const int64 = long('an int64', -(2n ** 63n), 2n ** 63n - 1n);
const uint64 = long('a uint64', 0n, 2n ** 64n - 1n);

const CHECKS: Readonly<Record<string, Check>> = {
  double: float('a double'),
  float: float('a float'),
  int32,
  sint32: int32,
  sfixed32: int32,
  uint32,
  fixed32: uint32,
  int64,
  sint64: int64,
  sfixed64: int64,
  uint64,
  fixed64: uint64,
  bool: (value, path) => (typeof value === 'boolean' ? undefined : expected(path, 'a bool (true or false)', value)),
  string: (value, path) => (typeof value === 'string' ? undefined : expected(path, 'a string', value)),
  bytes: (value, path) =>
    value instanceof Uint8Array || (typeof value === 'string' && BASE64.test(value)) ? undefined : expected(path, 'bytes (a Buffer or base64 text)', value),
};

/**
 * The check for a protobuf scalar type (`int32`, `string`, `bytes`, ...). Numbers
 * must be whole and in range for integer types; 64-bit integers may also be strings
 * of digits, since a JavaScript number loses precision past 2^53.
 *
 * @example
 * ```ts
 * import { scalarCheck } from './validate-scalars.js';
 * scalarCheck('uint32')(-1, 'request.n'); // { path: 'request.n', problem: 'expected a uint32 ...' }
 * ```
 */
export function scalarCheck(type: string): Check {
  return CHECKS[type] ?? (() => undefined);
}

/**
 * What a value is, without showing it: `a string`, `an array`, `null`.
 *
 * @example
 * ```ts
 * import { describeValue } from './validate-scalars.js';
 * describeValue([1]); // 'an array'
 * ```
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'bytes';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a fractional number';
  const type = typeof value;
  return `${type === 'object' || type === 'undefined' ? 'an' : 'a'} ${type}`;
}

function expected(path: string, what: string, value: unknown): MessageProblem {
  return { path, problem: `expected ${what}, got ${describeValue(value)}` };
}

function float(name: string): Check {
  return (value, path) =>
    typeof value === 'number' || (typeof value === 'string' && SPECIAL_FLOATS.has(value)) ? undefined : expected(path, `${name} (a number)`, value);
}

function range(name: string, min: number, max: number): Check {
  const what = `${name} (a whole number from ${min} to ${max})`;
  return (value, path) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? undefined : expected(path, what, value));
}

function long(name: string, min: bigint, max: bigint): Check {
  const what = `${name} (a whole number, or a string of digits beyond 2^53)`;
  return (value, path) => {
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) {
        return Number.isInteger(value)
          ? { path, problem: `${value} is past 2^53 and has lost precision; pass ${name} this large as a string of digits` }
          : expected(path, what, value);
      }
      return BigInt(value) >= min ? undefined : expected(path, `${name} (not negative)`, value);
    }
    if (typeof value === 'string' && INT64.test(value)) {
      const n = BigInt(value);
      return n >= min && n <= max ? undefined : { path, problem: `the value is out of range for ${name}` };
    }
    if (typeof value === 'bigint') return { path, problem: `${name} cannot be a bigint; pass it as a string of digits, e.g. String(value)` };
    return expected(path, what, value);
  };
}
