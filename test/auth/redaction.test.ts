import { describe, expect, test } from 'vitest';
import { REDACTED, Redactor } from '../../src/observability/redact.js';
import { SecretHistory } from '../../src/auth/secret-history.js';

describe('Redactor', () => {
  test('always hides Authorization, Proxy-Authorization, Cookie and Set-Cookie', () => {
    const r = new Redactor();
    const out = r.headers({ Authorization: 'Bearer x', 'proxy-authorization': 'Basic y', cookie: 'a=b', 'Set-Cookie': ['c=d'], accept: 'json' });
    expect(out).toEqual({ Authorization: REDACTED, 'proxy-authorization': REDACTED, cookie: REDACTED, 'Set-Cookie': REDACTED, accept: 'json' });
  });

  test('hides configured header names and query parameters', () => {
    const r = new Redactor({ headers: ['X-API-Key'], queryParams: ['key'] });
    expect(r.isSensitiveHeader('x-api-key')).toBe(true);
    expect(r.isSensitiveQueryParam('key')).toBe(true);
    expect(r.url('http://127.0.0.1/a?key=k1&b=2')).toBe('http://127.0.0.1/a?key=%5BREDACTED%5D&b=2');
  });

  test('hides a secret whole even when a shorter secret is part of it', () => {
    const r = new Redactor({ secrets: ['abcd', 'abcdefgh'] });
    expect(r.text('x abcdefgh y abcd')).toBe(`x ${REDACTED} y ${REDACTED}`);
  });

  test('hides the URL-encoded spelling of a secret', () => {
    const r = new Redactor({ secrets: ['s3cr3t/+=value'] });
    expect(r.url(`http://127.0.0.1/cb?state=${encodeURIComponent('s3cr3t/+=value')}`)).not.toContain('s3cr3t');
  });

  test('remove() forgets a secret; short values are never registered', () => {
    const r = new Redactor({ secrets: ['token-1', 'abc'] });
    expect(r.text('token-1 abc')).toBe(`${REDACTED} abc`);
    r.remove({ secrets: ['token-1'] });
    expect(r.text('token-1')).toBe('token-1');
    expect(r.hasSecret('token-1')).toBe(false);
  });

  test('message() redacts any thrown value', () => {
    const r = new Redactor({ secrets: ['pa55word'] });
    expect(r.message(new Error('login pa55word failed'))).toBe(`login ${REDACTED} failed`);
    expect(r.message('pa55word')).toBe(REDACTED);
  });

  test('value() hides credential-named keys, keeps references and ordinary neighbours', () => {
    const r = new Redactor();
    const out = r.value({
      auth: {
        type: 'oauth2',
        tokenUrl: 'https://auth.example/token',
        clientSecret: 'literal',
        refresh_token: 'rt',
        privateKey: { kty: 'EC', d: 'private' },
        token: '${env:USERS_TOKEN}',
        cache: true,
      },
      headers: { 'X-API-Key': 'k', accept: 'json' },
      password: 42,
      secretAccessKey: 'aws',
      rateLimit: { key: '{endpoint}' },
    });
    expect(out).toEqual({
      auth: {
        type: 'oauth2',
        tokenUrl: 'https://auth.example/token',
        clientSecret: REDACTED,
        refresh_token: REDACTED,
        privateKey: REDACTED,
        token: '${env:USERS_TOKEN}',
        cache: true,
      },
      headers: { 'X-API-Key': REDACTED, accept: 'json' },
      password: REDACTED,
      secretAccessKey: REDACTED,
      rateLimit: { key: '{endpoint}' },
    });
  });
});

describe('SecretHistory', () => {
  test('keeps the most recent values hidden and forgets older ones', () => {
    const r = new Redactor();
    const history = new SecretHistory(r, 2);
    for (const t of ['token-1', 'token-2', 'token-3']) history.push(t);
    expect(r.text('token-1 token-2 token-3')).toBe(`token-1 ${REDACTED} ${REDACTED}`);
  });
});
