import { describe, expect, test } from 'vitest';
import { createGrpcConnector } from '../../../src/protocols/grpc/connector.js';
import type { GrpcConnectorOptions } from '../../../src/protocols/grpc/config.js';
import { ECHO_PROTO, INCLUDE, fixture as fixturePath, rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();

function configError(options: Record<string, unknown>): { message: string; details: Record<string, unknown> } {
  try {
    createGrpcConnector({ name: 'bad', ...options } as GrpcConnectorOptions);
  } catch (error) {
    expect(error).toMatchObject({ code: 'CONFIG' });
    return error as { message: string; details: Record<string, unknown> };
  }
  throw new Error('expected a CONFIG error');
}

describe('config', () => {
  test.each([
    [{ protoFiles: ['a.proto'] }, 'target: is required: write target: "host:port"'],
    [{ target: 'h:1', baseUrl: 'grpc://h:1', reflection: true }, 'baseUrl: use either target or baseUrl, not both'],
    [{ baseUrl: 'https://api.test', reflection: true }, 'baseUrl: "https://api.test" is not a grpc:// or grpcs:// URL'],
    [{ baseUrl: 'grpc://api.test', reflection: true }, 'grpc://api.test needs a port, e.g. "grpc://api.test:50051"'],
    [{ baseUrl: 'grpc://api.test:50051/v1', reflection: true }, 'a gRPC address has no path ("/v1")'],
    [{ baseUrl: 'grpcs://user:pw@api.test', reflection: true }, 'credentials in the URL are not allowed'],
    [{ target: 'api test:1', reflection: true }, 'target: "api test:1" is not host:port'],
    [{ target: '127.0.0.1:70000', reflection: true }, 'port 70000 is out of range'],
    [{ target: 'ftp://x', reflection: true }, 'scheme of "ftp://x" is not supported'],
    [{ target: 'h:1', tls: { cert: '/c.pem' }, reflection: true }, 'tls.key: a client certificate needs its key'],
    [{ baseUrl: 'grpc://h:1', tls: { ca: '/ca.pem' }, reflection: true }, 'tls: "grpc://h:1" is plaintext but tls is set'],
    [{ target: 'h:1', protoFiles: ['a.proto'], reflection: true }, 'reflection: use either protoFiles or reflection: true'],
    [{ target: 'h:1', reflection: true, auth: { type: 'api_key', apiKey: 'k-123456', in: 'query' } }, 'auth.in: gRPC has no query string'],
    [{ target: 'h:1', reflection: true, metadata: { 'X-Team': 'data' } }, 'metadata.X-Team: "X-Team" must be lower-case'],
    [{ target: 'h:1', reflection: true, channel: { options: { keepalive: 1 } } }, 'channel.options.keepalive: channel option names start with "grpc."'],
    [{ target: 'h:1', reflection: true, service: 'not a name' }, 'service: must be a fully qualified service name'],
    [{ target: 'h:1', reflection: true, protoFile: 'x.proto' }, 'unknown field "protoFile"'],
  ])('%j is refused: %s', (options, expected) => {
    expect(configError(options).message).toContain(expected);
  });

  test('a connector that knows no services says how to tell it', () => {
    expect(configError({ target: 'h:1' }).message).toContain('set protoFiles (the .proto files), or reflection: true to ask the server');
  });

  test('grpc:// URLs are parsed, not string-replaced: IPv6 hosts and default ports', () => {
    expect(createGrpcConnector({ name: 'a', baseUrl: 'grpc://[::1]:50051', reflection: true }).target).toBe('grpc://[::1]:50051');
    expect(createGrpcConnector({ name: 'b', baseUrl: 'grpcs://api.example.com', reflection: true }).target).toBe('grpcs://api.example.com:443');
    expect(createGrpcConnector({ name: 'c', target: 'dns:///api.example.com:443', reflection: true }).target).toBe('dns:///api.example.com:443');
    expect(createGrpcConnector({ name: 'd', target: 'localhost:50051', tls: false, reflection: true }).target).toBe('grpc://localhost:50051');
  });
});

describe('.proto files', () => {
  const start = (protoFiles: string[], extra: Partial<GrpcConnectorOptions> = {}) =>
    fixture.connector({ name: 'p', target: '127.0.0.1:1', tls: false, protoFiles, includeDirs: [INCLUDE], ...extra } as GrpcConnectorOptions).connect();

  test('a missing file names where it was looked for', async () => {
    const error = await rejectionOf(start(['nope.proto']));
    expect(error).toMatchObject({ code: 'PROTO', details: { file: 'nope.proto' } });
    expect(error.message).toMatch(/^protoFiles\[0\]: "nope.proto" not found \(looked for .*nope\.proto.*\); fix the path or add its folder to includeDirs$/);
  });

  test('a syntax error names the file and the line', async () => {
    const error = await rejectionOf(start([fixturePath('syntax-error.proto')]));
    expect(error).toMatchObject({ code: 'PROTO', details: { file: fixturePath('syntax-error.proto'), line: 7 } });
    expect(error.message).toBe(`${fixturePath('syntax-error.proto')} line 7: illegal token 'int32', ';' expected; fix the .proto file`);
  });

  test('an import that is nowhere names the importing file, its line and the folders searched', async () => {
    const error = await rejectionOf(start([fixturePath('missing-import.proto')]));
    expect(error).toMatchObject({ code: 'PROTO', details: { line: 5, import: 'nowhere/gone.proto' } });
    expect(error.message).toContain('missing-import.proto line 5: import "nowhere/gone.proto" not found in');
    expect(error.message).toContain('add the folder that holds it to includeDirs');
  });

  test('an undefined message type names the field, the file and the line', async () => {
    const error = await rejectionOf(start([fixturePath('unknown-type.proto')]));
    expect(error.code).toBe('PROTO');
    expect(error.message).toContain('unknown-type.proto line 7: field test.broken.v1.Order.total has the unknown type "Money"');
  });

  test('an import found only through includeDirs fails without it', async () => {
    const error = await rejectionOf(start([ECHO_PROTO], { includeDirs: [] }));
    expect(error.message).toContain('import "shared/types.proto" not found');
  });

  test('an unknown service lists the available ones, with a suggestion', async () => {
    const error = await rejectionOf(start([ECHO_PROTO], { service: 'test.echo.v1.Eco' }));
    expect(error.message).toBe('service "test.echo.v1.Eco" is not in protoFiles; did you mean "test.echo.v1.Echo"? available: grpc.health.v1.Health, test.echo.v1.Echo'.replace('grpc.health.v1.Health, ', ''));
  });

  test('an unknown method in the methods setting is refused at connect', async () => {
    const error = await rejectionOf(start([ECHO_PROTO], { methods: { Sey: { idempotent: true } } }));
    expect(error.message).toContain('methods.Sey is not a method of service test.echo.v1.Echo; did you mean "Say"? available: Say, Lookup, Count, Sum, Chat');
  });
});

describe('calls', () => {
  test('an unknown method lists the available ones; nothing is sent', async () => {
    const { api, server } = await fixture.start();
    const error = await rejectionOf(api.execute({ method: 'Sya' }));
    expect(error).toMatchObject({ code: 'PROTO', details: { method: 'Sya', available: ['Say', 'Lookup', 'Count', 'Sum', 'Chat'] } });
    expect(error.message).toBe('method "Sya" is not a method of service test.echo.v1.Echo; did you mean "Say"? available: Say, Lookup, Count, Sum, Chat');
    const wrongService = await rejectionOf(api.execute({ method: 'test.echo.v2.Echo/Say' }));
    expect(wrongService.message).toContain('service "test.echo.v2.Echo" is not in protoFiles; did you mean "test.echo.v1.Echo"?');
    expect(server.calls).toHaveLength(0);
  });

  test('a request object that is not a gRPC request is INVALID_REQUEST', async () => {
    const { api } = await fixture.start();
    const error = await rejectionOf(api.execute({ endpoint: '/x' } as never));
    expect(error).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(error.message).toContain('a gRPC call needs a method name');
  });

  test.each([
    [{ txt: 'x' }, 'request.txt: unknown field of test.echo.v1.SayRequest; did you mean "text"? (its fields are text, times, tag, labels, counts, color, a, b, blob, big)'],
    [{ times: 'three' }, 'request.times: expected an int32 (a whole number from -2147483648 to 2147483647), got a string'],
    [{ times: 1.5 }, 'request.times: expected an int32 (a whole number from -2147483648 to 2147483647), got a fractional number'],
    [{ tag: { parent: { name: 42 } } }, 'request.tag.parent.name: expected a string, got a number'],
    [{ tag: 'x' }, 'request.tag: expected a test.shared.v1.Tag message (an object), got a string'],
    [{ color: 'GREN' }, 'request.color: "GREN" is not a value of enum test.shared.v1.Color; use one of COLOR_UNSPECIFIED, RED, GREEN (did you mean "GREEN"?)'],
    [{ labels: 'one' }, 'request.labels: expected a list of string, got a string'],
    [{ labels: ['a', 2] }, 'request.labels[1]: expected a string, got a number'],
    [{ counts: { a: 'x' } }, 'request.counts["a"]: expected an int32'],
    [{ a: 'x', b: '1' }, 'request.b: "a" and "b" are both set, but they belong to oneof "choice"; set only one'],
    [{ big: 2 ** 60 }, 'request.big: 1152921504606847000 is past 2^53 and has lost precision; pass a uint64 this large as a string of digits'],
    [{ big: -1 }, 'request.big: expected a uint64 (not negative), got a number'],
    [{ blob: [1, 2] }, 'request.blob: expected bytes (a Buffer or base64 text), got an array'],
    [[1], 'request: expected a test.echo.v1.SayRequest message (an object), got an array'],
  ])('%j does not match SayRequest: %s', async (request, expected) => {
    const { api, server } = await fixture.start();
    const error = await rejectionOf(api.execute({ method: 'Say', request: request as Record<string, unknown> }));
    expect(error).toMatchObject({ code: 'PROTO', details: { method: '/test.echo.v1.Echo/Say', messageType: 'test.echo.v1.SayRequest' } });
    expect(error.message).toContain(expected);
    expect(error.message).toContain('fix the message for /test.echo.v1.Echo/Say');
    expect(server.calls).toHaveLength(0);
  });

  test('a bigint is refused with the way to pass it', async () => {
    const { api } = await fixture.start();
    const error = await rejectionOf(api.execute({ method: 'Say', request: { big: 10n } }));
    expect(error.message).toContain('request.big: a uint64 cannot be a bigint; pass it as a string of digits');
  });

  test('a wrong value is described by its type, never shown', async () => {
    const { api } = await fixture.start();
    const error = await rejectionOf(api.execute({ method: 'Say', request: { times: 'hunter2-password' } }));
    expect(error.message).not.toContain('hunter2');
  });

  test('validateRequests: false sends what it is given (protobufjs drops unknown fields)', async () => {
    const { api, server } = await fixture.start({ validateRequests: false });
    await api.execute({ method: 'Say', request: { text: 'x', unknown: 1 } });
    expect(server.calls[0]?.request).toMatchObject({ text: 'x' });
  });
});
