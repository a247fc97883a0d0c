import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

/**
 * A 1-based line and column in a source file.
 *
 * @example
 * ```ts
 * import type { SourcePosition } from 'ia-connectors';
 * const at: SourcePosition = { line: 4, column: 5 };
 * ```
 */
export interface SourcePosition {
  line: number;
  column: number;
}

/**
 * Finds where a path of the parsed value sits in the source: at the value, or at the
 * key when `atKey` is set (an unknown field). A path that does not exist (a missing
 * field) resolves to its nearest existing parent.
 *
 * @example
 * ```ts
 * import type { Locator } from './positions.js';
 * declare const locate: Locator;
 * locate(['connectors', 1, 'baseUrl'], false); // { line: 9, column: 14 }
 * ```
 */
export type Locator = (path: readonly PropertyKey[], atKey: boolean) => SourcePosition | undefined;

/**
 * A {@link Locator} over a document parsed by the `yaml` package with a `LineCounter`
 * (JSON is YAML 1.2, so the same works for `.json` files).
 *
 * @example
 * ```ts
 * import { LineCounter, parseDocument } from 'yaml';
 * import { createLocator } from './positions.js';
 * const lineCounter = new LineCounter();
 * const doc = parseDocument('connectors:\n  - name: a\n', { lineCounter });
 * createLocator(doc, lineCounter)(['connectors', 0, 'name'], false); // { line: 2, column: 11 }
 * ```
 */
export function createLocator(doc: Document, lineCounter: LineCounter): Locator {
  const at = (offset: number): SourcePosition => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };
  return (path, atKey) => {
    let node = resolve(doc, doc.contents as Node | null);
    let found = node?.range ? at(node.range[0]) : undefined;
    for (let i = 0; node && i < path.length; i++) {
      const key = path[i];
      if (isMap(node)) {
        const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
        if (!pair) break;
        const keyNode = pair.key as Node;
        const last = i === path.length - 1;
        if (last && atKey && keyNode.range) return at(keyNode.range[0]);
        node = resolve(doc, pair.value as Node | null);
        found = node?.range ? at(node.range[0]) : keyNode.range ? at(keyNode.range[0]) : found;
      } else if (isSeq(node) && typeof key === 'number') {
        node = resolve(doc, node.items[key] as Node | null);
        if (!node) break;
        if (node.range) found = at(node.range[0]);
      } else {
        break;
      }
    }
    return found;
  };
}

function resolve(doc: Document, node: Node | null | undefined): Node | undefined {
  if (!node) return undefined;
  return isAlias(node) ? (node.resolve(doc) as Node | undefined) : node;
}
