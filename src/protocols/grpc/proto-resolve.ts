import protobuf from 'protobufjs';
import { ConnectorError } from '../../core/errors.js';

/**
 * Turns protobufjs's "no such type" into a `PROTO` error naming the field or method,
 * its file and, when it can be found in the source, its line.
 *
 * @example
 * ```ts
 * import protobuf from 'protobufjs';
 * import { describeUnresolved } from './proto-resolve.js';
 * const root = protobuf.parse('syntax = "proto3"; message A { Missing m = 1; }').root;
 * try { root.resolveAll(); } catch (e) { console.log(describeUnresolved(root, e, new Map()).message); }
 * ```
 */
export function describeUnresolved(root: protobuf.Root, error: unknown, sources: ReadonlyMap<string, string>): ConnectorError {
  for (const object of walk(root)) {
    if (object instanceof protobuf.Type) {
      for (const field of object.fieldsArray) {
        if (resolves(field)) continue;
        const where = locate(field.filename, sources, new RegExp(`\\b${escape(field.type)}\\s+${escape(field.name)}\\s*=`));
        return unresolved(`${where}: field ${field.fullName.slice(1)} has the unknown type "${field.type}"`, error, field.filename);
      }
    } else if (object instanceof protobuf.Service) {
      for (const method of object.methodsArray) {
        if (resolves(method)) continue;
        const where = locate(method.filename, sources, new RegExp(`\\brpc\\s+${escape(method.name)}\\b`));
        const types = `"${method.requestType}" or "${method.responseType}"`;
        return unresolved(`${where}: method ${method.fullName.slice(1)} uses an unknown message type (${types})`, error, method.filename);
      }
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError('PROTO', `the .proto files do not resolve: ${message}`, { cause: error });
}

function unresolved(problem: string, cause: unknown, file: string | null): ConnectorError {
  return new ConnectorError('PROTO', `${problem}; define it or import the file that does (check the package prefix)`, {
    cause,
    details: file ? { file } : {},
  });
}

function resolves(object: protobuf.ReflectionObject): boolean {
  try {
    object.resolve();
    return true;
  } catch {
    return false;
  }
}

function locate(file: string | null, sources: ReadonlyMap<string, string>, pattern: RegExp): string {
  if (!file) return 'a .proto file';
  const source = sources.get(file);
  const match = source === undefined ? null : pattern.exec(source);
  return match && source !== undefined ? `${file} line ${source.slice(0, match.index).split('\n').length}` : file;
}

function* walk(namespace: protobuf.NamespaceBase): Generator<protobuf.ReflectionObject> {
  for (const object of namespace.nestedArray) {
    yield object;
    if (object instanceof protobuf.Namespace || object instanceof protobuf.Type || object instanceof protobuf.Service) yield* walk(object);
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
