import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { jsonLogger } from '../../../src/observability/logging/json-logger.js';
import type { Logger } from '../../../src/observability/logging/logger.js';
import { redactLogger } from '../../../src/observability/logging/redacting-logger.js';
import { Redactor } from '../../../src/observability/redact.js';
import { captureLines } from './capture.js';

const SECRET = 'sk_live_7Hq9ZpL2xV';
const PASSWORD = 'hunter2-pa$$word';

/** A pino-shaped spy: methods that need `this`, a level and isLevelEnabled as pino has. */
class PinoLikeSpy implements Logger {
  readonly calls: { level: string; args: unknown[] }[] = [];
  level = 'debug';
  private readonly values: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };
  isLevelEnabled(level: string): boolean {
    return (this.values[level] ?? 0) >= (this.values[this.level] ?? 0);
  }
  trace(...args: unknown[]): void {
    this.record('trace', args);
  }
  debug(...args: unknown[]): void {
    this.record('debug', args);
  }
  info(...args: unknown[]): void {
    this.record('info', args);
  }
  warn(...args: unknown[]): void {
    this.record('warn', args);
  }
  error(...args: unknown[]): void {
    this.record('error', args);
  }
  fatal(...args: unknown[]): void {
    this.record('fatal', args);
  }
  private record(level: string, args: unknown[]): void {
    if (!(this instanceof PinoLikeSpy)) throw new Error('called without its logger as this');
    this.calls.push({ level, args });
  }
}

function leakyLines(log: Logger): void {
  log.info({ url: `https://ada:${PASSWORD}@api.test/v1/users?access_token=${SECRET}&page=2` }, `GET https://api.test/v1/x?access_token=${SECRET} done`);
  log.warn({ headers: { Authorization: `Bearer ${SECRET}`, 'X-Api-Key': SECRET, accept: 'application/json' } }, 'sent');
  log.error({ error: { code: 'AUTH', message: `token ${SECRET} rejected` }, nested: [{ note: `encoded ${encodeURIComponent(SECRET + '/+')}` }] });
  log.debug({ clientSecret: 'plain-client-secret', refresh_token: 'plain-refresh-token' }, 'credential fields');
  log.error(new Error(`could not use ${SECRET}`));
  log.info(`message alone with ${SECRET}`);
  log.child?.({ bound: SECRET }).info('child line');
}

describe('log redaction', () => {
  it('hides secret values, URL userinfo, access_token, credential headers and credential-named fields in every jsonLogger line', () => {
    const stream = captureLines();
    const redactor = new Redactor({ headers: ['x-api-key'], secrets: [SECRET, SECRET + '/+', 'plain-client-secret'] });
    leakyLines(jsonLogger({ level: 'trace', stream, redactor }));
    const all = stream.raw.join('');
    expect(stream.raw).toHaveLength(7);
    for (const secret of [SECRET, PASSWORD, 'plain-client-secret', 'plain-refresh-token', encodeURIComponent(SECRET + '/+'), 'ada:']) expect(all).not.toContain(secret);
    expect(stream.lines[0]?.url).toBe('https://%5BREDACTED%5D:%5BREDACTED%5D@api.test/v1/users?access_token=%5BREDACTED%5D&page=2');
    expect(stream.lines[1]?.headers).toEqual({ Authorization: '[REDACTED]', 'X-Api-Key': '[REDACTED]', accept: 'application/json' });
    expect(stream.lines[6]).toMatchObject({ bound: '[REDACTED]', msg: 'child line' });
  });

  it('hides the URL parts even without any redactor rules', () => {
    const stream = captureLines();
    jsonLogger({ stream }).info({ target: 'wss://bob:pw1234@stream.test/live?token=abcd1234' }, 'opening https://u:p4ss@h.test/?access_token=zzzz9999');
    const all = stream.raw.join('');
    for (const secret of ['pw1234', 'abcd1234', 'p4ss', 'zzzz9999', 'bob']) expect(all).not.toContain(secret);
  });

  it('wraps a pino-shaped logger: lines are redacted, methods keep their this, below-level lines are never built', () => {
    const spy = new PinoLikeSpy();
    const redactor = new Redactor({ headers: ['x-api-key'], secrets: [SECRET, SECRET + '/+', 'plain-client-secret'] });
    const log = redactLogger(spy, { redactor });
    leakyLines(log);
    expect(spy.calls.map((c) => c.level)).toEqual(['info', 'warn', 'error', 'debug', 'error', 'info', 'info']);
    const all = JSON.stringify(spy.calls);
    for (const secret of [SECRET, PASSWORD, 'plain-client-secret', 'plain-refresh-token']) expect(all).not.toContain(secret);
    expect(spy.calls[4]?.args[0]).toMatchObject({ err: { type: 'Error', message: 'could not use [REDACTED]' } });
    expect(spy.calls[5]?.args).toEqual(['message alone with [REDACTED]']);

    spy.calls.length = 0;
    spy.level = 'warn';
    const getter = vi.fn(() => 'built');
    log.debug({ get expensive() { return getter(); } }, 'skipped');
    expect(spy.calls).toEqual([]);
    expect(getter).not.toHaveBeenCalled();
  });

  it('wrapping a wrapped logger adds the new rules instead of nesting', () => {
    const stream = captureLines();
    const first = jsonLogger({ stream, redactor: new Redactor({ secrets: ['first-secret'] }) });
    const second = redactLogger(first, { redactor: new Redactor({ secrets: ['second-secret'] }) });
    second.info({ a: 'first-secret', b: 'second-secret' }, 'both');
    expect(stream.lines[0]).toMatchObject({ a: '[REDACTED]', b: '[REDACTED]' });
    expect(redactLogger(first)).toBe(first);
  });

  it('reads a live list of redactors, so a connector created later counts', () => {
    const stream = captureLines();
    const redactors: Redactor[] = [];
    const log = jsonLogger({ stream, redactor: redactors });
    redactors.push(new Redactor({ secrets: ['late-secret-value'] }));
    log.info('late-secret-value');
    expect(stream.lines[0]?.msg).toBe('[REDACTED]');
  });

  it('a throwing user logger never throws to the caller, and is reported once', () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    onTestFinished(() => warning.mockRestore());
    const broken: Logger = Object.fromEntries(
      ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'child'].map((m) => [
        m,
        () => {
          throw new Error(`boom ${SECRET}`);
        },
      ]),
    ) as unknown as Logger;
    const log = redactLogger(broken);
    expect(() => {
      log.info('a');
      log.error({ b: 1 }, 'b');
      log.child({ c: 1 }).warn('c');
    }).not.toThrow();
    expect(JSON.stringify(warning.mock.calls)).not.toContain(SECRET);
  });
});

/** pino's LogFn as its type declarations spell it (v9; v10 has the same call shapes with typed format args). */
interface PinoLogFn {
  <T extends object>(obj: T, msg?: string, ...args: unknown[]): void;
  (obj: unknown, msg?: string, ...args: unknown[]): void;
  (msg: string, ...args: unknown[]): void;
}
interface PinoLoggerShape {
  level: string;
  isLevelEnabled(level: string): boolean;
  child(bindings: Record<string, unknown>, options?: object): PinoLoggerShape;
  trace: PinoLogFn;
  debug: PinoLogFn;
  info: PinoLogFn;
  warn: PinoLogFn;
  error: PinoLogFn;
  fatal: PinoLogFn;
  silent: PinoLogFn;
}

describe('pino compatibility', () => {
  it('takes a logger typed as pino’s as it is, child loggers included', () => {
    const lines: unknown[][] = [];
    const fn = ((...args: unknown[]) => void lines.push(args)) as PinoLogFn;
    const pinoLike: PinoLoggerShape = {
      level: 'info',
      isLevelEnabled: (level) => level !== 'debug' && level !== 'trace',
      child: (bindings) => ({ ...pinoLike, info: ((...args: unknown[]) => void lines.push([bindings, ...args])) as PinoLogFn }),
      trace: fn,
      debug: fn,
      info: fn,
      warn: fn,
      error: fn,
      fatal: fn,
      silent: fn,
    };
    const logger: Logger = pinoLike;
    const log = redactLogger(logger);
    log.debug('hidden by level');
    log.info({ a: 1 }, 'x');
    log.child({ step: 'load' }).info('from child');
    expect(lines).toEqual([[{ a: 1 }, 'x'], [{ step: 'load' }, 'from child']]);
  });
});
