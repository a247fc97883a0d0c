import protobuf from 'protobufjs';
import descriptor, { type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { ConnectorError } from '../../core/errors.js';

// FieldDescriptorProto.Type numbers of the scalar types a map key or value may have.
const SCALARS: Readonly<Record<number, string>> = {
  1: 'double', 2: 'float', 3: 'int64', 4: 'uint64', 5: 'int32', 6: 'fixed64', 7: 'fixed32', 8: 'bool',
  9: 'string', 12: 'bytes', 13: 'uint32', 15: 'sfixed32', 16: 'sfixed64', 17: 'sint32', 18: 'sint64',
};

interface MapFix {
  message: string;
  field: string;
  id: number;
  keyType: string;
  valueType: string;
  entry: string;
}

/**
 * Builds a protobufjs `Root` from serialized `FileDescriptorProto`s, as server
 * reflection returns them. Map fields arrive as repeated `...Entry` messages; they
 * are turned back into maps, so a message reads the same whether its types came
 * from `.proto` files or from the server.
 *
 * @example
 * ```ts
 * import { rootFromFileDescriptors } from './descriptor-root.js';
 * declare const files: Uint8Array[];
 * const root = rootFromFileDescriptors(files);
 * ```
 */
export function rootFromFileDescriptors(files: readonly Uint8Array[]): protobuf.Root {
  try {
    const decoded = files.map((bytes) => descriptor.FileDescriptorProto.decode(bytes) as unknown as IFileDescriptorProto);
    const fixes: MapFix[] = [];
    for (const file of decoded) {
      const prefix = file.package ? `${file.package}.` : '';
      for (const message of file.messageType ?? []) collectMaps(message, prefix, fixes);
    }
    const set = descriptor.FileDescriptorSet.fromObject({ file: decoded });
    const root = (protobuf.Root as unknown as { fromDescriptor(set: unknown): protobuf.Root }).fromDescriptor(set);
    for (const fix of fixes) {
      const type = root.lookupType(fix.message);
      const old = type.fields[fix.field];
      if (old) type.remove(old);
      const entry = type.nested?.[fix.entry];
      if (entry) type.remove(entry);
      type.add(new protobuf.MapField(fix.field, fix.id, fix.keyType, fix.valueType));
    }
    root.resolveAll();
    return root;
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    throw new ConnectorError('PROTO', `the server's descriptors could not be read: ${error instanceof Error ? error.message : String(error)}; use protoFiles instead`, {
      cause: error,
    });
  }
}

function collectMaps(message: IDescriptorProto, prefix: string, fixes: MapFix[]): void {
  const fullName = `${prefix}${message.name ?? ''}`;
  const entries = new Map<string, IDescriptorProto>();
  for (const nested of message.nestedType ?? []) {
    if (nested.options?.mapEntry && nested.name) entries.set(nested.name, nested);
    else collectMaps(nested, `${fullName}.`, fixes);
  }
  for (const field of message.field ?? []) {
    const entryName = field.typeName?.slice(field.typeName.lastIndexOf('.') + 1);
    const entry = field.label === 3 && entryName ? entries.get(entryName) : undefined;
    if (!entry || !field.name || field.number === undefined || field.number === null) continue;
    const key = entry.field?.find((f) => f.number === 1);
    const value = entry.field?.find((f) => f.number === 2);
    const keyType = SCALARS[Number(key?.type)];
    const valueType = value?.typeName ? value.typeName.replace(/^\./, '') : SCALARS[Number(value?.type)];
    if (!keyType || !valueType) continue;
    // A relative value type name is resolved from the message that holds the map.
    const absolute = value?.typeName?.startsWith('.') ? `.${valueType}` : valueType;
    fixes.push({ message: fullName, field: field.name, id: field.number, keyType, valueType: absolute, entry: entryName as string });
  }
}
