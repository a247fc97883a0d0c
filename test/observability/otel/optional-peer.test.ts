import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import { loadOpenTelemetryApi } from '../../../src/observability/otel/load.js';

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url));

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(entries.map((e) => (e.isDirectory() ? sourceFiles(join(dir, e.name)) : Promise.resolve(e.name.endsWith('.ts') ? [join(dir, e.name)] : []))));
  return nested.flat();
}

/** Statements that load an @opentelemetry package when the module loads: anything but `import type` / `export type`. */
function staticValueImports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const statements = code.match(/^\s*(import|export)\b[^;]*?from\s*['"]@opentelemetry\/[^'"]+['"]/gm) ?? [];
  const bare = code.match(/^\s*import\s*['"]@opentelemetry\/[^'"]+['"]/gm) ?? [];
  const required = code.match(/\brequire\(\s*['"]@opentelemetry\/[^'"]+['"]\s*\)/g) ?? [];
  return [...statements.filter((s) => !/^\s*(import|export)\s+type\b/.test(s)), ...bare, ...required].map((s) => s.trim());
}

describe('@opentelemetry/api is an optional peer dependency', () => {
  test('no file in src imports an @opentelemetry package as a value at load time (type-only imports and dynamic import() are fine)', async () => {
    const offenders: string[] = [];
    for (const file of await sourceFiles(SRC)) {
      for (const statement of staticValueImports(await readFile(file, 'utf8'))) offenders.push(`${relative(SRC, file)}: ${statement}`);
    }
    expect(offenders).toEqual([]);
  });

  test('the check itself finds a value import, and lets a type-only one pass', () => {
    expect(staticValueImports("import { trace } from '@opentelemetry/api';")).toHaveLength(1);
    expect(staticValueImports("import * as api from '@opentelemetry/api';\nexport { context } from '@opentelemetry/api';")).toHaveLength(2);
    expect(staticValueImports("import type { Span } from '@opentelemetry/api';\nimport type * as api from '@opentelemetry/api';")).toEqual([]);
    expect(staticValueImports("/**\n * import { trace } from '@opentelemetry/api';\n */")).toEqual([]);
  });

  test('without the package, asking for tracing is a CONFIG error that says what to install', async () => {
    const error = await loadOpenTelemetryApi('@opentelemetry/api-that-is-not-installed').catch((e: unknown) => e);
    expect(isConnectorError(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CONFIG' });
    expect((error as Error).message).toContain('install @opentelemetry/api to enable tracing');
  });

  test('a module that is not the API is refused too', async () => {
    await expect(loadOpenTelemetryApi('node:path')).rejects.toMatchObject({ code: 'CONFIG' });
  });

  test('with the package it loads', async () => {
    const api = await loadOpenTelemetryApi();
    expect(typeof api.trace.getTracer).toBe('function');
  });
});
