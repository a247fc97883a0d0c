import type { ConnectorEvents } from '../../core/connector-events.js';

/**
 * Why the subscriptions connection was re-established: it dropped
 * (`connection_lost`), the credential changed (`credentials_rotated`), or the server
 * refused the credential and it was renewed (`credentials_rejected`).
 *
 * @example
 * ```ts
 * import type { SubscriptionReconnectReason } from 'ia-connectors';
 * const r: SubscriptionReconnectReason = 'credentials_rotated';
 * ```
 */
export type SubscriptionReconnectReason = 'connection_lost' | 'credentials_rotated' | 'credentials_rejected';

/**
 * The events of a GraphQL connector: every connector event, plus
 * `subscriptionReconnect` after the subscriptions connection was re-established and
 * its active subscriptions sent again (consumers see no error for it).
 *
 * @example
 * ```ts
 * import type { GraphQLConnectorEvents } from 'ia-connectors';
 * const log = (e: GraphQLConnectorEvents['subscriptionReconnect']) => console.log(`${e.connector}: ${e.reason}, ${e.subscriptions} resubscribed`);
 * ```
 */
export interface GraphQLConnectorEvents extends ConnectorEvents {
  subscriptionReconnect: {
    connector: string;
    reason: SubscriptionReconnectReason;
    /** Subscriptions sent again on the new connection. */
    subscriptions: number;
    /** Close code of the connection that ended, when it closed rather than being replaced. */
    closeCode: number | undefined;
  };
}
