import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import { jsonLogger } from '../../../src/observability/logging/json-logger.js';
import { LOG_LEVELS, parseLogThreshold } from '../../../src/observability/logging/levels.js';
import { captureLines } from './capture.js';

describe('jsonLogger', () => {
  it('writes pino-format lines: numeric level, epoch time, pid, hostname, fields, msg', () => {
    const stream = captureLines();
    const before = Date.now();
    jsonLogger({ level: 'trace', stream }).info({ stepId: 'load', n: 3 }, 'step started');
    const [line] = stream.lines;
    expect(line).toMatchObject({ level: 30, pid: process.pid, stepId: 'load', n: 3, msg: 'step started' });
    expect(typeof line?.hostname).toBe('string');
    expect(line?.time).toBeGreaterThanOrEqual(before);
    expect(Object.keys(line ?? {}).slice(0, 2)).toEqual(['level', 'time']);
    expect(Object.keys(line ?? {}).at(-1)).toBe('msg');
    expect(stream.raw[0]?.endsWith('}\n')).toBe(true);
  });

  it('maps every level to pino numbers and accepts a message alone', () => {
    const stream = captureLines();
    const log = jsonLogger({ level: 'trace', stream, base: null });
    for (const level of Object.keys(LOG_LEVELS) as (keyof typeof LOG_LEVELS)[]) log[level](`at ${level}`);
    expect(stream.lines.map((l) => l.level)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(stream.lines[0]).toEqual({ level: 10, time: expect.any(Number), msg: 'at trace' });
  });

  it('filters lines below its level, and silent writes nothing', () => {
    const stream = captureLines();
    const log = jsonLogger({ level: 'warn', stream });
    log.debug('no');
    log.info({ a: 1 }, 'no');
    log.warn('yes');
    log.error({ b: 2 }, 'yes');
    expect(stream.lines.map((l) => l.msg)).toEqual(['yes', 'yes']);
    expect(log.isLevelEnabled('info')).toBe(false);

    const silent = captureLines();
    const quiet = jsonLogger({ level: 'silent', stream: silent });
    quiet.fatal('nothing');
    quiet.child({ x: 1 }).error('nothing');
    expect(silent.raw).toEqual([]);
    expect(quiet.isLevelEnabled('fatal')).toBe(false);
  });

  it('keeps the level and time fields truthful when a caller passes fields of those names', () => {
    const stream = captureLines();
    jsonLogger({ stream }).warn({ level: 'debug', time: 'yesterday', msg: 'fields' }, 'message');
    expect(stream.lines[0]).toMatchObject({ level: 40, time: expect.any(Number), msg: 'message' });
  });

  it('adds child bindings to every line and shares the level with its parent', () => {
    const stream = captureLines();
    const log = jsonLogger({ level: 'info', stream, base: { app: 'etl' } });
    const child = log.child({ connector: 'users' });
    child.info({ attempt: 1 }, 'sent');
    log.level = 'error';
    child.warn('dropped');
    expect(stream.lines).toEqual([{ level: 30, time: expect.any(Number), app: 'etl', connector: 'users', attempt: 1, msg: 'sent' }]);
  });

  it('serialises errors as pino does and survives values JSON cannot hold', () => {
    const stream = captureLines();
    const cyclic: Record<string, unknown> = { big: 10n, when: new Date(0), bytes: new Uint8Array(4) };
    cyclic.self = cyclic;
    const log = jsonLogger({ stream });
    log.error(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'call failed');
    log.info(cyclic, 'odd values');
    expect(stream.lines[0]).toMatchObject({ err: { type: 'Error', message: 'socket hang up', code: 'ECONNRESET', stack: expect.any(String) }, msg: 'call failed' });
    expect(stream.lines[1]).toMatchObject({ big: '10', when: '1970-01-01T00:00:00.000Z', bytes: '[Uint8Array 4 bytes]', self: '[Circular]' });
  });

  it('a stream that throws never breaks the caller', () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => undefined);
    onTestFinished(() => warning.mockRestore());
    const log = jsonLogger({
      stream: {
        write() {
          throw new Error('EPIPE');
        },
      },
    });
    expect(() => log.error('lost')).not.toThrow();
  });

  it('rejects unknown levels with a CONFIG error naming the field and the choices', () => {
    expect(parseLogThreshold('DEBUG', '--log-level')).toBe('debug');
    expect(parseLogThreshold('silent', '--log-level')).toBe('silent');
    let caught: unknown;
    try {
      parseLogThreshold('verbose', '--log-level');
    } catch (error) {
      caught = error;
    }
    expect(isConnectorError(caught) && caught.code).toBe('CONFIG');
    expect((caught as Error).message).toMatch(/--log-level: "verbose" is not a log level; use one of trace, debug, info, warn, error, fatal, silent/);
    expect(() => jsonLogger({ level: 'loud' as never })).toThrow(/jsonLogger level/);
  });
});
