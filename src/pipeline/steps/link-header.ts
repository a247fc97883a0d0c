import type { ResponseHeaders } from '../../core/types.js';

const LINK = /<([^>]*)>((?:\s*;\s*[^;,]+)*)/g;
const REL = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i;

/**
 * The `rel="next"` target of a `Link` header (RFC 8288), resolved against the URL of
 * the response that carried it when that URL is known; `undefined` when there is none.
 *
 * @example
 * ```ts
 * import { nextLink } from 'ia-connectors';
 * nextLink({ link: '</items?page=2>; rel="next", </items?page=9>; rel="last"' }, 'https://api.test/items');
 * // 'https://api.test/items?page=2'
 * ```
 */
export function nextLink(headers: ResponseHeaders, responseUrl: string): string | undefined {
  const raw = headers['link'];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (!value) return undefined;
  for (const match of value.matchAll(LINK)) {
    const rel = REL.exec(match[2] ?? '');
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (!rels.includes('next')) continue;
    const target = match[1] ?? '';
    if (target === '') return undefined;
    // A relative target is relative to the response URL (RFC 8288 §3.1), not the base URL.
    try {
      return new URL(target, responseUrl).href;
    } catch {
      return target;
    }
  }
  return undefined;
}
