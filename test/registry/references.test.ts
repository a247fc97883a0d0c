import { describe, expect, it } from 'vitest';
import { parseConnectorsText } from '../../src/registry/load.js';
import { findSecretReferences } from '../../src/registry/references.js';
import { listUnresolvedReferences } from '../../src/registry/resolve-references.js';
import { lines } from './files.js';

const file = parseConnectorsText(
  lines(
    'connectors:',
    '  - name: users',
    '    baseUrl: http://127.0.0.1:1',
    '    auth: { type: bearer, token: "${env:USERS_TOKEN}" }',
    '    headers: { x-tenant: "${file:/nonexistent/ia-connectors/tenant}" }',
    '  - name: legacy',
    '    base_url: http://127.0.0.1:2',
    '    auth_type: basic',
    '    username: etl',
    '    password: ${env:ETL_PASSWORD}',
  ),
  'refs.yaml',
);

describe('secret references', () => {
  it('finds every reference with its path', () => {
    expect(file.connectors.flatMap((c) => findSecretReferences(c).map((r) => `${c.name} ${r.path.join('.')} ${r.reference}`))).toEqual([
      'users headers.x-tenant ${file:/nonexistent/ia-connectors/tenant}',
      'users auth.token ${env:USERS_TOKEN}',
      'legacy auth.password ${env:ETL_PASSWORD}',
    ]);
  });

  it('lists the references that cannot be resolved, eagerly, without any value', async () => {
    const unresolved = await listUnresolvedReferences(file, { env: { USERS_TOKEN: 'u-token-value' } });
    expect(unresolved).toEqual([
      {
        connector: 'users',
        path: 'headers.x-tenant',
        reference: '${file:/nonexistent/ia-connectors/tenant}',
        message: expect.stringContaining('does not exist'),
        source: 'refs.yaml:2:5',
      },
      {
        connector: 'legacy',
        path: 'auth.password',
        reference: '${env:ETL_PASSWORD}',
        message: '${env:ETL_PASSWORD} is not set; export ETL_PASSWORD or change auth.password',
        source: 'refs.yaml:6:5',
      },
    ]);
    expect(JSON.stringify(unresolved)).not.toContain('u-token-value');
  });

  it('finds nothing to report when every reference resolves', async () => {
    const env = { USERS_TOKEN: 'a-value', ETL_PASSWORD: 'b-value' };
    const readFile = async () => 'tenant-1\n';
    expect(await listUnresolvedReferences(file, { env, readFile })).toEqual([]);
  });
});
