import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { generateGrpcPki, type GrpcTestPki } from '../../support/grpc-certificates.js';
import { ECHO_PROTO, INCLUDE, rejectionOf, useGrpcFixture } from './helpers.js';

const fixture = useGrpcFixture();
let pki: GrpcTestPki;
let dir: string;
const file = (name: string): string => join(dir, name);

beforeAll(async () => {
  pki = await generateGrpcPki();
  dir = await mkdtemp(join(tmpdir(), 'grpc-tls-'));
  await Promise.all([
    writeFile(file('ca.pem'), pki.ca.cert),
    writeFile(file('client.pem'), pki.client.cert),
    writeFile(file('client.key'), pki.client.key),
    writeFile(file('not-pem.txt'), 'just text'),
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const base = { name: 'secure', protoFiles: [ECHO_PROTO], includeDirs: [INCLUDE], retry: { maxAttempts: 1 } };

describe('TLS', () => {
  test('a private CA from a file verifies the server', async () => {
    const server = await fixture.server({ tls: pki.server });
    const api = fixture.connector({ ...base, target: server.target, tls: { ca: file('ca.pem') } });
    expect((await api.execute<{ text: string }>({ method: 'Say', request: { text: 'tls' } })).body.text).toBe('tls');
  });

  test('the CA can be given as PEM text, and grpcs:// turns TLS on', async () => {
    const server = await fixture.server({ tls: pki.server });
    const api = fixture.connector({ ...base, baseUrl: `grpcs://127.0.0.1:${server.port}`, tls: { ca: pki.ca.cert } });
    expect(api.target).toBe(`grpcs://127.0.0.1:${server.port}`);
    expect((await api.execute({ method: 'Lookup', request: { key: 'a' } })).ok).toBe(true);
  });

  test('an untrusted certificate is a TLS error, and it is not retried', async () => {
    const server = await fixture.server({ tls: pki.server });
    const api = fixture.connector({ ...base, target: server.target, tls: { ca: pki.otherCa.cert }, retry: { maxAttempts: 3 } });
    const error = await rejectionOf(api.execute({ method: 'Lookup' }));
    expect(error).toMatchObject({ code: 'TLS', grpcCode: 14, retryable: false });
    expect(error.message).toContain('tls.ca');
    expect(server.calls).toHaveLength(0);
  });

  test('TLS on by default for a plain target: the system roots do not trust a private CA', async () => {
    const server = await fixture.server({ tls: pki.server });
    const api = fixture.connector({ ...base, target: server.target });
    expect(api.target).toBe(`grpcs://${server.target}`);
    expect((await rejectionOf(api.execute({ method: 'Lookup' }))).code).toBe('TLS');
  });

  test('serverName overrides the name the certificate is checked against', async () => {
    const server = await fixture.server({ tls: pki.server });
    const wrong = fixture.connector({ ...base, target: server.target, tls: { ca: pki.ca.cert, serverName: 'wrong.example' } });
    expect((await rejectionOf(wrong.execute({ method: 'Lookup' }))).code).toBe('TLS');
    const right = fixture.connector({ ...base, name: 'right', target: server.target, tls: { ca: pki.ca.cert, serverName: 'grpc.test' } });
    expect((await right.execute({ method: 'Lookup' })).ok).toBe(true);
  });

  test('mutual TLS: the client certificate is required and accepted', async () => {
    const server = await fixture.server({ tls: { ...pki.server, clientCa: pki.ca.cert } });
    const anonymous = fixture.connector({ ...base, target: server.target, tls: { ca: pki.ca.cert } });
    expect(await rejectionOf(anonymous.execute({ method: 'Lookup' }))).toMatchObject({ grpcCode: 14 });
    const identified = fixture.connector({ ...base, name: 'mtls', target: server.target, tls: { ca: file('ca.pem'), cert: file('client.pem'), key: file('client.key') } });
    expect((await identified.execute({ method: 'Lookup', request: { key: 'me' } })).body).toMatchObject({ text: 'found me' });
  });
});

describe('every call kind over TLS', () => {
  test('unary, server stream, client stream and bidi stream over mutual TLS', async () => {
    const server = await fixture.server({ tls: { ...pki.server, clientCa: pki.ca.cert } });
    const api = fixture.connector({ ...base, target: server.target, tls: { ca: pki.ca.cert, cert: pki.client.cert, key: pki.client.key } });
    expect((await api.execute<{ text: string }>({ method: 'Say', request: { text: 'u' } })).body.text).toBe('u');
    const counted: number[] = [];
    for await (const m of await api.serverStream<{ n: number }>({ method: 'Count', request: { to: 3 } })) counted.push(m.n);
    expect(counted).toEqual([1, 2, 3]);
    expect((await api.clientStream<{ total: number }>({ method: 'Sum', messages: [{ value: 4 }, { value: 5 }] })).body.total).toBe(9);
    const chat = await api.bidiStream<{ text: string }, { text: string }>({ method: 'Chat' });
    await chat.send({ text: 'secure' });
    chat.end();
    const replies: string[] = [];
    for await (const m of chat) replies.push(m.text);
    expect(replies).toEqual(['echo: secure']);
  });
});

describe('TLS files', () => {
  test('a missing file is a CONFIG error at connect naming the field and the path', async () => {
    const api = fixture.connector({ ...base, target: '127.0.0.1:1', tls: { ca: file('missing-ca.pem') } });
    const error = await rejectionOf(api.connect());
    expect(error).toMatchObject({ code: 'CONFIG', details: { field: 'tls.ca', path: file('missing-ca.pem') } });
    expect(error.message).toContain(`tls.ca: file "${file('missing-ca.pem')}" does not exist`);
    expect(api.state).toBe('idle');
  });

  test('a file that is not PEM is refused without showing its content', async () => {
    const api = fixture.connector({ ...base, target: '127.0.0.1:1', tls: { ca: pki.ca.cert, cert: file('not-pem.txt'), key: file('client.key') } });
    const error = await rejectionOf(api.connect());
    expect(error).toMatchObject({ code: 'CONFIG', details: { field: 'tls.cert' } });
    expect(error.message).not.toContain('just text');
  });

  test('a certificate and a key that do not belong together are a CONFIG error that never shows the key', async () => {
    const api = fixture.connector({ ...base, target: '127.0.0.1:1', tls: { cert: pki.client.cert, key: pki.server.key } });
    const error = await rejectionOf(api.connect());
    expect(error.code).toBe('CONFIG');
    expect(error.message).not.toContain('PRIVATE KEY');
  });
});
