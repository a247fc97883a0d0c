import { describe, expect, it } from 'vitest';
import { restConnectorConfigSchema } from '../../src/protocols/rest/config.js';
import { isLegacyConnector, normalizeLegacyConnector } from '../../src/registry/legacy.js';
import { parseConnectorsText } from '../../src/registry/load.js';
import type { ReportedIssue } from '../../src/registry/report.js';
import { lines, thrownSync } from './files.js';

describe('legacy snake_case connectors', () => {
  it('loads a file written for the ia_modules plan and normalises units, retries, rate limit and auth', () => {
    const loaded = parseConnectorsText(
      lines(
        'connectors:',
        '  - name: github_api',
        '    base_url: https://api.example.com',
        '    auth_type: bearer',
        '    bearer_token: ${env:GITHUB_TOKEN}',
        '    rate_limit: 30',
        '    rate_limit_window: 60',
        '    max_retries: 2',
        '    retry_backoff: 0.5',
        '    default_timeout: 12.5',
        '    connection_timeout: 3',
        '    default_headers:',
        '      Accept: application/vnd.github+json',
        '  - name: maps',
        '    base_url: https://maps.example.com',
        '    auth_type: api_key',
        '    api_key: ${file:/run/secrets/maps_key}',
        '    api_key_header: X-Maps-Key',
        '    rate_limit: 100',
        '  - name: warehouse',
        '    base_url: https://wh.example.com',
        '    auth_type: basic',
        '    username: etl',
        '    password: ${env:WH_PASSWORD}',
        '  - name: crm',
        '    base_url: https://crm.example.com',
        '    auth_type: oauth2',
        '    oauth2_client_id: etl-client',
        '    oauth2_client_secret: ${env:CRM_SECRET}',
        '    oauth2_token_url: https://auth.example.com/token',
        '    max_retries: 0',
      ),
      'legacy.yaml',
    );
    const [github, maps, warehouse, crm] = loaded.connectors;
    expect(github).toMatchObject({
      name: 'github_api',
      protocol: 'rest',
      baseUrl: 'https://api.example.com',
      headers: { Accept: 'application/vnd.github+json' },
      auth: { type: 'bearer', token: '${env:GITHUB_TOKEN}' },
      timeout: { connect: 3000, headers: 12_500, bodyIdle: 12_500, total: 60_000 },
      retry: { maxAttempts: 3, baseDelay: 500 },
      rateLimit: { rate: 30, intervalMs: 60_000, burst: 30 },
    });
    expect(maps).toMatchObject({
      auth: { type: 'api_key', apiKey: '${file:/run/secrets/maps_key}', in: 'header', name: 'X-Maps-Key' },
      rateLimit: { rate: 100, intervalMs: 60_000, burst: 100 },
    });
    expect(warehouse?.auth).toEqual({ type: 'basic', username: 'etl', password: '${env:WH_PASSWORD}' });
    expect(crm?.auth).toMatchObject({
      type: 'oauth2',
      grant: 'client_credentials',
      clientId: 'etl-client',
      clientSecret: '${env:CRM_SECRET}',
      tokenUrl: 'https://auth.example.com/token',
    });
    expect(crm?.retry.maxAttempts).toBe(1);
    // Absent legacy fields leave the camelCase defaults in place.
    expect(maps?.timeout).toMatchObject({ connect: 10_000, headers: 30_000 });
    // What comes out is a valid config of the REST schema as it stands.
    for (const config of loaded.connectors) expect(restConnectorConfigSchema.safeParse(config).success).toBe(true);
  });

  it('loads legacy JSON too', () => {
    const loaded = parseConnectorsText(
      JSON.stringify({ connectors: [{ name: 'example_api', base_url: 'https://api.example.com', auth_type: 'api_key', api_key: 'sk-xxxxx', rate_limit: 60 }] }),
      'legacy.json',
    );
    expect(loaded.connectors[0]).toMatchObject({ auth: { type: 'api_key', apiKey: 'sk-xxxxx', name: 'X-API-Key' }, rateLimit: { rate: 60, intervalMs: 60_000 } });
  });

  it('refuses a connector that mixes both styles, naming the fields', () => {
    const error = thrownSync(() =>
      parseConnectorsText(
        lines('connectors:', '  - name: a', '    base_url: https://x.example.com', '    max_retries: 2', '    retry: { maxAttempts: 3 }'),
        'mixed.yaml',
      ),
    );
    expect(error.code).toBe('CONFIG');
    expect(error.message).toContain('mixed.yaml:3:5 connectors[0].base_url: this connector mixes legacy snake_case fields (base_url, max_retries) with camelCase fields (retry)');
    expect(error.message).toContain('max_retries → retry.maxAttempts');
  });

  it('reports legacy problems in the legacy terms, with positions', () => {
    const error = thrownSync(() =>
      parseConnectorsText(
        lines(
          'connectors:',
          '  - name: a',
          '    base_url: https://x.example.com',
          '    auth_type: bearer',
          '    api_key: k-123',
          '    max_retries: 40',
          '    default_timeout: 0',
          '    rate_limit_window: 10',
          '  - name: b',
          '    base_url: https://y.example.com',
          '    auth_type: jwt',
        ),
        'legacy.yaml',
      ),
    );
    const issues = (error.details['issues'] as ReportedIssue[]).map((i) => `${i.line}:${i.column} ${i.path}: ${i.message}`);
    expect(issues).toEqual([
      '2:5 connectors[0].bearer_token: is required when auth_type is bearer',
      '5:14 connectors[0].api_key: is set but auth_type is bearer; set auth_type: api_key or remove api_key',
      '6:18 connectors[0].max_retries: must be at most 19 retries; more only prolong an outage',
      '7:22 connectors[0].default_timeout: must be a positive number of seconds (at least 0.001), e.g. 30',
      '8:24 connectors[0].rate_limit_window: has no effect without rate_limit; add rate_limit (requests per window) or remove it',
      expect.stringMatching(/^11:16 connectors\[1\]\.auth_type: auth_type jwt has no legacy fields; write this connector in the camelCase form/),
    ]);
    expect(error.message).not.toContain('k-123');
  });

  it('reports a problem the camelCase schema finds after conversion at the legacy field', () => {
    const error = thrownSync(() =>
      parseConnectorsText(
        lines('connectors:', '  - name: a', '    base_url: https://x.example.com', '    auth_type: api_key', '    api_key: k-1', '    api_key_header: "bad header"'),
      ),
    );
    expect(error.details['issues']).toEqual([expect.objectContaining({ path: 'connectors[0].api_key_header', line: 6, column: 21 })]);
  });

  it('keeps a long backoff usable by raising the delay cap to match', () => {
    const { config } = normalizeLegacyConnector({ name: 'slow', base_url: 'https://x.example.com', retry_backoff: 45 });
    expect(config['retry']).toEqual({ baseDelay: 45_000, maxDelay: 45_000 });
  });

  it('detects the legacy form by its snake_case keys only', () => {
    expect(isLegacyConnector({ name: 'a', base_url: 'https://x.example.com' })).toBe(true);
    expect(isLegacyConnector({ name: 'a', baseUrl: 'https://x.example.com', username: 'u' })).toBe(false);
    expect(isLegacyConnector(['base_url'])).toBe(false);
  });
});
