import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parseConnectorsText } from '../../src/registry/load.js';

const doc = await readFile(new URL('../../docs/config.md', import.meta.url), 'utf8');
const yamlBlocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] as string);

describe('docs/config.md', () => {
  it('shows a complete file that loads as written', () => {
    const complete = yamlBlocks.find((block) => block.includes('defaults:') && block.includes('bulkhead:'));
    const loaded = parseConnectorsText(complete as string, 'config.md.yaml');
    expect(loaded.connectors[0]).toMatchObject({
      name: 'users_api',
      headers: { 'x-team': 'data-platform', 'accept-language': 'en' },
      timeout: { connect: 10_000, attempt: 5000 },
      rateLimit: { perSecond: 20, burst: 40 },
      bulkhead: { maxConcurrent: 8 },
    });
  });

  it('shows a legacy file that loads as written', () => {
    const legacy = yamlBlocks.find((block) => block.includes('base_url:'));
    const [github] = parseConnectorsText(legacy as string, 'legacy.md.yaml').connectors;
    expect(github).toMatchObject({ retry: { maxAttempts: 3, baseDelay: 500 }, timeout: { connect: 3000, headers: 12_500 } });
  });
});
