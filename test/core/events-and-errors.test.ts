import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { ConnectorError, ERROR_CODES, TypedEvents, hasErrorCode, isConnectorError } from '../../src/index.js';

describe('TypedEvents', () => {
  it('delivers to listeners until their handle is disposed', () => {
    const events = new TypedEvents<{ tick: { n: number } }>();
    const seen: number[] = [];
    const handle = events.on('tick', (e) => seen.push(e.n));
    events.emit('tick', { n: 1 });
    handle.dispose();
    events.emit('tick', { n: 2 });
    expect(seen).toEqual([1]);
    expect(events.has('tick')).toBe(false);
  });

  it('supports `using` and once()', () => {
    const events = new TypedEvents<{ tick: number }>();
    const seen: number[] = [];
    {
      using _a = events.on('tick', (n) => seen.push(n));
      events.once('tick', (n) => seen.push(n * 10));
      events.emit('tick', 1);
      events.emit('tick', 2);
    }
    events.emit('tick', 3);
    expect(seen).toEqual([1, 10, 2]);
  });

  it('a throwing listener does not break the emitter or other listeners', () => {
    const onError = vi.fn();
    const events = new TypedEvents<{ tick: number }>(onError);
    const seen: number[] = [];
    events.on('tick', () => {
      throw new Error('listener bug');
    });
    events.on('tick', (n) => seen.push(n));
    events.emit('tick', 1);
    expect(seen).toEqual([1]);
    expect(onError).toHaveBeenCalledOnce();
  });
});

describe('ConnectorError', () => {
  it('carries code, retryable default, cause and protocol details', () => {
    const cause = new Error('socket hang up');
    const error = new ConnectorError('NETWORK', 'failed', { cause, details: { status: 502, connector: 'a' } });
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('ConnectorError');
    expect(error.retryable).toBe(true);
    expect(error.cause).toBe(cause);
    expect(error.status).toBe(502);
    expect(new ConnectorError('NETWORK', 'x', { retryable: false }).retryable).toBe(false);
    expect(error.toJSON()).toMatchObject({ code: 'NETWORK', message: 'failed', retryable: true });
  });

  it('is recognised by brand, also across copies of the class', () => {
    const foreign = Object.assign(Object.create({ [Symbol.for('ia-connectors.ConnectorError')]: true }), { code: 'TIMEOUT' });
    expect(isConnectorError(foreign)).toBe(true);
    expect(isConnectorError(new Error('x'))).toBe(false);
    expect(isConnectorError(null)).toBe(false);
    expect(hasErrorCode(new ConnectorError('DNS', 'x'), 'DNS', 'TLS')).toBe(true);
    expect(hasErrorCode(new ConnectorError('DNS', 'x'), 'TLS')).toBe(false);
  });

  it('every error code is documented in docs/errors.md', () => {
    const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
    const missing = Object.keys(ERROR_CODES).filter((code) => !doc.includes(`\`${code}\``));
    expect(missing).toEqual([]);
  });
});
