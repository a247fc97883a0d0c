import { describe, expect, it } from 'vitest';
import { compose, type CallContext, type Middleware } from '../../src/index.js';

const ctx = (): CallContext<string> => ({ connector: 'c', request: 'req', signal: undefined, attempt: 1, deadline: undefined, startedAt: 0 });

describe('compose', () => {
  it('runs the first listed middleware outermost', async () => {
    const order: string[] = [];
    const layer = (name: string): Middleware<string, string> => async (_ctx, next) => {
      order.push(`${name} in`);
      const out = await next();
      order.push(`${name} out`);
      return `${name}(${out})`;
    };
    const handler = compose([layer('a'), layer('b')], async (c) => c.request);
    expect(await handler(ctx())).toBe('a(b(req))');
    expect(order).toEqual(['a in', 'b in', 'b out', 'a out']);
  });

  it('throws when next() is called twice with the same context', async () => {
    const handler = compose<string, string>([async (_c, next) => (await next()) + (await next())], async () => 'x');
    await expect(handler(ctx())).rejects.toMatchObject({ code: 'MIDDLEWARE', message: expect.stringMatching(/called next\(\) twice/) });
  });

  it('allows a new context per attempt, as a retry does', async () => {
    const seen: number[] = [];
    const retryTwice: Middleware<string, string> = async (c, next) => {
      await next({ ...c, attempt: 1 });
      return next({ ...c, attempt: 2 });
    };
    const handler = compose([retryTwice], async (c) => {
      seen.push(c.attempt);
      return 'ok';
    });
    expect(await handler(ctx())).toBe('ok');
    expect(seen).toEqual([1, 2]);
  });

  it('turns a synchronous throw into a rejection and passes a changed request downstream', async () => {
    const throwing = compose<string, string>([() => { throw new Error('sync'); }], async () => 'x');
    await expect(throwing(ctx())).rejects.toThrow('sync');
    const rewrite = compose<string, string>([(c, next) => next({ ...c, request: 'changed' })], async (c) => c.request);
    expect(await rewrite(ctx())).toBe('changed');
  });

  it('returns the terminal itself when there is no middleware', () => {
    const terminal = async (): Promise<string> => 'x';
    expect(compose([], terminal)).toBe(terminal);
  });
});

describe('layers that step aside at connect', () => {
  it('a layer whose active() is false after open() is left out of the composed chain', async () => {
    const { BaseConnector } = await import('../../src/index.js');
    const seen: string[] = [];
    class Probe extends BaseConnector<string, string> {
      constructor() {
        super(
          'probe',
          { open: async () => {}, close: async () => {}, send: async (ctx) => ctx.request, classify: () => ({ retryable: false, failure: false, reason: 'ok' }) },
          [
            { name: 'custom', middleware: (ctx, next) => (seen.push('kept'), next()) },
            { name: 'auth', middleware: (ctx, next) => (seen.push('dropped'), next()), active: () => false },
          ],
        );
      }
      async healthCheck() {
        return { ok: true, latencyMs: 0 };
      }
    }
    const probe = new Probe();
    expect(await probe.execute('x')).toBe('x');
    expect(seen).toEqual(['kept']);
  });
});
