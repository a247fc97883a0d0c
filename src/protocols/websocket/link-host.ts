import type { CancelSignal } from '../../core/call-signal.js';
import type { Redactor } from '../../observability/redact.js';
import type { WebSocketChannel } from './channel.js';
import type { WebSocketConnectorConfig } from './config.js';
import type { PendingReplies } from './correlation.js';
import type { FilterChain } from './filters.js';
import type { Inbox } from './inbox.js';
import type { LinkReporter } from './link-reporter.js';
import type { SendQueue } from './send-queue.js';

/**
 * What a {@link SocketLink} needs from its connector.
 *
 * @example
 * ```ts
 * import { SocketLink } from './link.js';
 * import type { LinkHost } from './link-host.js';
 * declare const host: LinkHost;
 * const link = new SocketLink(host);
 * ```
 */
export interface LinkHost {
  readonly connector: string;
  /** The socket URL, redacted, for messages. */
  readonly url: string;
  readonly config: WebSocketConnectorConfig;
  readonly report: LinkReporter;
  readonly redactor: Redactor;
  readonly queue: SendQueue;
  readonly inbox: Inbox;
  readonly pending: PendingReplies;
  readonly filters: FilterChain;
  /** Connects the connector (chain, then socket) for a send made while closed; failures reach the queue. */
  reopen(): Promise<void>;
  /** Opens one socket through the policy chain. */
  openSocket(reconnect: number, signal: CancelSignal): Promise<WebSocketChannel>;
  /** Runs the `onReconnect` hooks on a reopened socket, before queued messages go out. */
  resume(channel: WebSocketChannel, reconnect: number): Promise<void>;
}
