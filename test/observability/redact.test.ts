import { describe, expect, test } from 'vitest';
import { recordedParams } from '../../src/observability/cassette/redaction.js';
import { Redaction } from '../../src/observability/logging/redaction.js';
import { restObservation } from '../../src/observability/protocols/rest.js';
import { REDACTED, Redactor } from '../../src/observability/redact.js';

const CREDENTIAL_NAMES = [
  'password',
  'passwd',
  'passphrase',
  'secret',
  'client_secret',
  'clientSecret',
  'token',
  'access_token',
  'refresh_token',
  'id_token',
  'api_key',
  'apikey',
  'api-key',
  'x-api-key',
  'X-API-Key',
  'authorization',
  'Proxy-Authorization',
  'cookie',
  'Set-Cookie',
  'signature',
  'sig',
  'X-Amz-Signature',
  'X-Amz-Credential',
  'X-Amz-Security-Token',
  'X-Goog-Signature',
  'X-Goog-Credential',
  'AWSAccessKeyId',
  'x-auth-token',
  'privateKey',
  'client_assertion',
];
const ORDINARY_NAMES = ['key', 'code', 'page', 'q', 'tokenUrl', 'tokenStore', 'token_type', 'keyId', 'expires_in', 'signed', 'state', 'scope'];

describe('the credential-name rule', () => {
  test('names every credential spelling of headers, query parameters and fields, and leaves ordinary names alone', () => {
    const r = new Redactor();
    expect(CREDENTIAL_NAMES.filter((name) => !r.isSecretName(name))).toEqual([]);
    expect(ORDINARY_NAMES.filter((name) => r.isSecretName(name))).toEqual([]);
    expect(CREDENTIAL_NAMES.filter((name) => !r.isSensitiveQueryParam(name))).toEqual([]);
  });

  test('logs, span url.full and cassettes hide the same query parameters, and only those', () => {
    const query = [...CREDENTIAL_NAMES, ...ORDINARY_NAMES].map((name, i) => `${encodeURIComponent(name)}=v${i}x`).join('&');
    const hiddenIn = (text: string): string[] => {
      const shown = new URLSearchParams(/\?(\S+)/.exec(text)?.[1]);
      return [...shown].filter(([, value]) => value === REDACTED).map(([name]) => name);
    };

    const logged = new Redaction().text(`GET https://api.test/a?${query} done`);
    const observation = restObservation({ connector: 'c', baseUrl: 'https://api.test', redactor: new Redactor() });
    const span = String(observation.call({ method: 'GET', endpoint: `/a?${query}` }, 0).attributes['url.full']);
    const params = Object.fromEntries(new URLSearchParams(query));
    const stored = recordedParams(params, new Redactor());
    const recorded = Object.keys(stored).filter((name) => stored[name] === REDACTED);

    expect(hiddenIn(logged)).toEqual(CREDENTIAL_NAMES);
    expect(hiddenIn(span)).toEqual(CREDENTIAL_NAMES);
    expect(recorded).toEqual(CREDENTIAL_NAMES);
  });

  test('bare key and code are hidden only where a redactor is told so', () => {
    const url = 'https://maps.test/geo?key=AIza-12345&code=US';
    expect(new Redactor().url(url)).toBe(url);
    expect(new Redactor({ queryParams: ['key', 'code'] }).url(url)).toBe('https://maps.test/geo?key=%5BREDACTED%5D&code=%5BREDACTED%5D');
    expect(new Redactor().value({ rateLimit: { key: '{endpoint}' }, error: { code: 'TIMEOUT' } })).toEqual({ rateLimit: { key: '{endpoint}' }, error: { code: 'TIMEOUT' } });
  });
});

describe('Redactor.url', () => {
  test('hides credential-named query values by default, by their decoded name, every occurrence', () => {
    const r = new Redactor();
    expect(r.url('https://x.test/a?access_token=t1&page=2')).toBe('https://x.test/a?access_token=%5BREDACTED%5D&page=2');
    expect(r.url('https://x.test/a?access%5Ftoken=t1&page=2')).not.toContain('t1');
    expect(r.url('https://x.test/a?sig=s1&sig=s2&page=2')).toBe('https://x.test/a?sig=%5BREDACTED%5D&page=2');
    expect(r.url('https://x.test/a?page=2#token=frag')).toBe('https://x.test/a?page=2#token=frag');
  });

  test('adds configured names and hides userinfo as before', () => {
    const r = new Redactor({ queryParams: ['session'] });
    expect(r.url('https://u:pw@x.test/a?session=s1&token=t1&page=2')).toBe(
      'https://%5BREDACTED%5D:%5BREDACTED%5D@x.test/a?session=%5BREDACTED%5D&token=%5BREDACTED%5D&page=2',
    );
  });

  test('leaves a URL with nothing to hide exactly as written: the parser does not run for it', () => {
    // The URL parser would encode the space and the quote; untouched text shows it never ran.
    const raw = "https://x.test/a b?q=it's&tokenUrl=u";
    expect(new Redactor().url(raw)).toBe(raw);
    expect(new Redactor({ secrets: ['tokenUrl=u'] }).url(raw)).toBe(`https://x.test/a b?q=it's&${REDACTED}`);
  });

  test('a text that is not a URL passes through text() only', () => {
    expect(new Redactor({ secrets: ['s3cr3t'] }).url('not a url?token=s3cr3t')).toBe(`not a url?token=${REDACTED}`);
  });
});

describe('Redactor.headers', () => {
  test('hides credential-named headers it was never told about, and keeps the others', () => {
    const out = new Redactor().headers({ 'X-Api-Key': 'k', 'X-Amz-Security-Token': 't', 'x-goog-signature': 's', accept: 'json', 'x-request-id': 'r1' });
    expect(out).toEqual({ 'X-Api-Key': REDACTED, 'X-Amz-Security-Token': REDACTED, 'x-goog-signature': REDACTED, accept: 'json', 'x-request-id': 'r1' });
  });

  test('isSensitiveHeader stays the list of always-hidden and registered headers, which cross-origin redirects drop', () => {
    const r = new Redactor({ headers: ['X-Team-Key'] });
    expect(['authorization', 'cookie', 'x-team-key'].map((h) => r.isSensitiveHeader(h))).toEqual([true, true, true]);
    expect(r.isSensitiveHeader('x-api-key')).toBe(false);
  });
});
