import { describe, expect, it } from 'vitest';
import { prepareBase, resolveTarget, resolveUrl } from '../../../src/index.js';

const base = prepareBase('https://api.test/v1', ['https://cdn.test']);

describe('resolveUrl', () => {
  it('joins endpoints under the base path with or without a leading slash', () => {
    expect(resolveUrl(base, '/users', undefined, undefined).href).toBe('https://api.test/v1/users');
    expect(resolveUrl(base, 'users', undefined, undefined).href).toBe('https://api.test/v1/users');
    expect(resolveUrl(base, '', undefined, undefined).href).toBe('https://api.test/v1/');
  });

  it('keeps a query written in the endpoint and appends more', () => {
    expect(resolveUrl(base, '/s?fixed=1', undefined, { q: 'x y' }).href).toBe('https://api.test/v1/s?fixed=1&q=x%20y');
  });

  it('encodes unicode, reserved characters and numbers in path parameters', () => {
    const url = resolveUrl(base, '/u/{name}/{n}', { name: 'Zoë/#?', n: 42 }, undefined);
    expect(url.pathname).toBe('/v1/u/Zo%C3%AB%2F%23%3F/42');
  });

  it('normalises paths that need it exactly as the URL parser does', () => {
    for (const endpoint of ['/a/./b', '/a b', '/a/b/', 'x/%7Euser', '/café', '/a?b=1', '/a/b/../c']) {
      expect(resolveTarget(base, endpoint, undefined, { q: 1 }).href).toBe(resolveUrl(base, endpoint, undefined, { q: 1 }).href);
    }
    expect(resolveTarget(base, '/a/./b', undefined, undefined).path).toBe('/v1/a/b');
    expect(resolveTarget(base, '/a b', undefined, undefined).path).toBe('/v1/a%20b');
    expect(resolveTarget(base, '/a?b=1', undefined, { q: 1 }).path).toBe('/v1/a?b=1&q=1');
  });

  it('allows a listed origin and refuses any other', () => {
    expect(resolveUrl(base, 'https://cdn.test/a.png', undefined, undefined).href).toBe('https://cdn.test/a.png');
    expect(() => resolveUrl(base, 'https://evil.test/', undefined, undefined)).toThrow(/add the origin to allowedOrigins/);
  });
});
