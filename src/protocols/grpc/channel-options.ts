import type { ChannelOptions } from '@grpc/grpc-js';
import type { GrpcConnectorConfig } from './config.js';

/**
 * The grpc-js channel options a config asks for: user agent, keepalive, message size
 * limits, load balancing, the TLS server name override, and any raw `grpc.*` option
 * (which wins, being the most specific).
 *
 * @example
 * ```ts
 * import { grpcConnectorConfigSchema } from 'ia-connectors';
 * import { channelOptions } from './channel-options.js';
 * channelOptions(grpcConnectorConfigSchema.parse({ name: 'g', protocol: 'grpc', target: '127.0.0.1:50051', tls: false, reflection: true }));
 * ```
 */
export function channelOptions(config: GrpcConnectorConfig): ChannelOptions {
  const { channel, tls, userAgent } = config;
  const options: ChannelOptions = {
    'grpc.primary_user_agent': userAgent,
    'grpc.max_receive_message_length': channel.maxReceiveMessageBytes,
  };
  if (channel.maxSendMessageBytes !== undefined) options['grpc.max_send_message_length'] = channel.maxSendMessageBytes;
  if (channel.keepalive) {
    if (channel.keepalive.time !== undefined) options['grpc.keepalive_time_ms'] = channel.keepalive.time;
    options['grpc.keepalive_timeout_ms'] = channel.keepalive.timeout;
    options['grpc.keepalive_permit_without_calls'] = channel.keepalive.permitWithoutCalls ? 1 : 0;
  }
  if (channel.loadBalancing !== 'pick_first') {
    options['grpc.service_config'] = JSON.stringify({ loadBalancingConfig: [{ [channel.loadBalancing]: {} }] });
  }
  if (typeof tls === 'object' && tls.serverName !== undefined) {
    options['grpc.ssl_target_name_override'] = tls.serverName;
    options['grpc.default_authority'] = tls.serverName;
  }
  return { ...options, ...channel.options };
}
