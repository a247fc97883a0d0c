import { connectivityState, type Client } from '@grpc/grpc-js';
import type { CallSignal } from '../../core/call-signal.js';
import { ConnectorError } from '../../core/errors.js';
import { Code } from './status-codes.js';

/**
 * Waits until the client's channel is connected, failing fast like a unary call would:
 * a channel in `TRANSIENT_FAILURE` is `GRPC` `UNAVAILABLE`, no connection by `deadline`
 * (epoch ms) is `CONNECT_TIMEOUT`, a closed channel is `NOT_CONNECTED`, and an aborted
 * `signal` rejects with its reason.
 *
 * @example
 * ```ts
 * import { Client, credentials } from '@grpc/grpc-js';
 * import { channelReady } from './channel-ready.js';
 * const client = new Client('127.0.0.1:50051', credentials.createInsecure());
 * await channelReady(client, Date.now() + 5000, undefined, 'grpc://127.0.0.1:50051');
 * ```
 */
export function channelReady(client: Client, deadline: number, signal: CallSignal | undefined, target: string): Promise<void> {
  const channel = client.getChannel();
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (error?: unknown): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onAbort = (): void => finish(signal?.reason);
    if (signal?.aborted) return finish(signal.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    const check = (): void => {
      if (settled) return;
      const state = channel.getConnectivityState(true);
      if (state === connectivityState.READY) return finish();
      if (state === connectivityState.TRANSIENT_FAILURE) {
        return finish(
          new ConnectorError('GRPC', `could not connect to ${target} (UNAVAILABLE); check that the server is running, and the target and tls settings`, {
            details: { grpcCode: Code.UNAVAILABLE, grpcStatus: 'UNAVAILABLE', target },
          }),
        );
      }
      if (state === connectivityState.SHUTDOWN) return finish(new ConnectorError('NOT_CONNECTED', `the channel to ${target} is closed; call connect() first`));
      channel.watchConnectivityState(state, deadline, (error) => {
        if (!error) return check();
        finish(new ConnectorError('CONNECT_TIMEOUT', `connecting to ${target} timed out; check the server is reachable, or raise timeout.connect`, { details: { target } }));
      });
    };
    check();
  });
}
