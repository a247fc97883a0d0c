import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const program = ts.createProgram([`${root}src/index.ts`], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true });
const checker = program.getTypeChecker();

function publicSymbols(): ts.Symbol[] {
  const index = program.getSourceFile(`${root}src/index.ts`);
  if (!index) throw new Error('src/index.ts not found');
  const moduleSymbol = checker.getSymbolAtLocation(index);
  return moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
}

function hasExample(symbol: ts.Symbol): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  return (target.declarations ?? []).some((declaration) => {
    const node = ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration;
    return ts.getJSDocTags(node).some((tag) => tag.tagName.text === 'example');
  });
}

describe('public API', () => {
  it('exports something', () => {
    expect(publicSymbols().length).toBeGreaterThan(20);
  });

  it('every export has TSDoc with an @example', () => {
    const missing = publicSymbols().filter((s) => !hasExample(s)).map((s) => s.name);
    expect(missing).toEqual([]);
  });

  it('has no default export', () => {
    expect(publicSymbols().map((s) => s.name)).not.toContain('default');
  });

  it('has a docs page per module', () => {
    const pages: Record<string, string> = { core: 'core.md', policies: 'policies.md', auth: 'auth.md', registry: 'config.md', pipeline: 'pipeline.md', cli: 'cli.md', sandbox: 'sandbox.md', observability: 'observability.md' };
    const modules = readdirSync(`${root}src`, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'protocols').map((d) => d.name);
    const protocols = readdirSync(`${root}src/protocols`);
    const missing = [
      ...modules.filter((m) => !existsSync(`${root}docs/${pages[m] ?? `${m}.md`}`)),
      ...protocols.filter((p) => !existsSync(`${root}docs/${p}.md`)),
    ];
    expect(missing).toEqual([]);
  });
});
