const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text safe inside HTML element content and quoted attribute values.
 *
 * @example
 * ```ts
 * import { escapeHtml } from './embed.js';
 * escapeHtml('<b>"x"</b>'); // '&lt;b&gt;&quot;x&quot;&lt;/b&gt;'
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/**
 * JSON safe inside `<script type="application/json">`: `<`, `>` and `&` become `\u003c`
 * and friends, so no `</script>` or `<!--` in the data can end the element, and the
 * line separators U+2028/U+2029 are escaped for older parsers. `JSON.parse` reads it back unchanged.
 *
 * @example
 * ```ts
 * import { jsonForScript } from './embed.js';
 * jsonForScript({ body: '</script>' }); // '{"body":"\\u003c/script\\u003e"}'
 * ```
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
