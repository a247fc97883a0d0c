import type { LogStream } from '../../../src/observability/logging/json-logger.js';

/** A stream that keeps every JSON line written to it, parsed. */
export function captureLines(): LogStream & { lines: Record<string, unknown>[]; raw: string[] } {
  const raw: string[] = [];
  const lines: Record<string, unknown>[] = [];
  return {
    raw,
    lines,
    write(text: string) {
      raw.push(text);
      lines.push(JSON.parse(text) as Record<string, unknown>);
    },
  };
}
