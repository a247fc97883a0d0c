import { readFile } from 'node:fs/promises';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { grpcConnectorConfigSchema } from '../../../src/protocols/grpc/config.js';
import { restConnectorConfigSchema } from '../../../src/protocols/rest/config.js';
import { channelOptions } from '../../../src/protocols/grpc/channel-options.js';
import { misplacedSecretReferences } from '../../../src/registry/references.js';

describe('the gRPC config schema', () => {
  test('fills every default', () => {
    const config = grpcConnectorConfigSchema.parse({ name: 'g', protocol: 'grpc', target: '127.0.0.1:50051', reflection: true });
    expect(config).toMatchObject({
      protocol: 'grpc',
      includeDirs: [],
      methods: {},
      metadata: {},
      validateRequests: true,
      channel: { maxReceiveMessageBytes: 4 * 1024 * 1024, loadBalancing: 'pick_first', options: {} },
      decode: { longs: 'string', enums: 'string', bytes: 'buffer', defaults: true },
      healthCheck: { timeout: 5000 },
      auth: { type: 'none' },
      timeout: { total: 60_000 },
      retry: { maxAttempts: 3 },
    });
    expect(config.tls).toBeUndefined();
  });

  test('a single proto path is accepted as a list', () => {
    expect(grpcConnectorConfigSchema.parse({ name: 'g', protocol: 'grpc', target: 'h:1', protoFiles: 'a.proto' }).protoFiles).toEqual(['a.proto']);
  });

  test('fits the registry: an object schema discriminated by protocol, with a JSON Schema', () => {
    expect(grpcConnectorConfigSchema).toBeInstanceOf(z.ZodObject);
    expect(Object.keys(grpcConnectorConfigSchema.shape)).toContain('target');
    const union = z.discriminatedUnion('protocol', [restConnectorConfigSchema, grpcConnectorConfigSchema]);
    expect(union.parse({ name: 'g', protocol: 'grpc', baseUrl: 'grpcs://api.test', reflection: true })).toMatchObject({ protocol: 'grpc' });
    // A connector without a protocol stays REST, as the registry promises.
    expect(union.parse({ name: 'r', baseUrl: 'http://127.0.0.1:8080' })).toMatchObject({ protocol: 'rest' });
    const json = z.toJSONSchema(grpcConnectorConfigSchema, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as { properties: Record<string, unknown> };
    expect(Object.keys(json.properties)).toEqual(expect.arrayContaining(['target', 'baseUrl', 'tls', 'protoFiles', 'reflection', 'channel', 'retry']));
  });

  test('TLS paths are not secret references, so a registry file may hold them', () => {
    const config = { name: 'g', protocol: 'grpc', target: 'h:1', tls: { ca: '/etc/ca.pem', cert: '/etc/c.pem', key: '/etc/c.key' }, reflection: true };
    expect(misplacedSecretReferences(config)).toEqual([]);
  });

  test('channel settings become grpc-js channel options; raw options win', () => {
    const config = grpcConnectorConfigSchema.parse({
      name: 'g',
      protocol: 'grpc',
      target: 'h:1',
      reflection: true,
      tls: { serverName: 'api.internal' },
      channel: { keepalive: { time: 30_000 }, maxSendMessageBytes: 1024, loadBalancing: 'round_robin', options: { 'grpc.max_receive_message_length': 99 } },
    });
    expect(channelOptions(config)).toEqual({
      'grpc.primary_user_agent': 'ia-connectors',
      'grpc.max_receive_message_length': 99,
      'grpc.max_send_message_length': 1024,
      'grpc.keepalive_time_ms': 30_000,
      'grpc.keepalive_timeout_ms': 20_000,
      'grpc.keepalive_permit_without_calls': 0,
      'grpc.service_config': '{"loadBalancingConfig":[{"round_robin":{}}]}',
      'grpc.ssl_target_name_override': 'api.internal',
      'grpc.default_authority': 'api.internal',
    });
  });
});

describe('docs/grpc.md', () => {
  test('the connectors file example is a valid gRPC connector config', async () => {
    const doc = await readFile(new URL('../../../docs/grpc.md', import.meta.url), 'utf8');
    const yaml = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1] as string;
    const [entry] = (parseYaml(yaml) as { connectors: unknown[] }).connectors;
    expect(grpcConnectorConfigSchema.parse(entry)).toMatchObject({ protocol: 'grpc', baseUrl: 'grpcs://catalog.internal:443', methods: { GetProduct: { idempotent: true } } });
  });
});
