import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

/** A protocol message as a scripted graphql-ws server received it. */
export interface ReceivedMessage {
  type: string;
  id?: string;
  payload?: unknown;
  /** `Date.now()` on arrival. */
  at: number;
}

/** Reacts to one message from a client; `send` writes a JSON message back. */
export type WsScript = (message: ReceivedMessage, socket: WebSocket, send: (message: unknown) => void) => void;

/** A graphql-transport-ws server whose every answer a test scripts, to provoke protocol errors. */
export interface ScriptedWsServer {
  readonly url: string;
  readonly received: ReceivedMessage[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** Answers `connection_init` with `connection_ack`: the usual first step of a script. */
export const ack: WsScript = (message, _socket, send) => {
  if (message.type === 'connection_init') send({ type: 'connection_ack' });
};

/**
 * Starts a scripted server on 127.0.0.1, port 0, accepting the graphql-transport-ws
 * subprotocol (or, with `acceptProtocol: false`, no subprotocol at all).
 */
export async function startScriptedWsServer(script: WsScript, options: { acceptProtocol?: boolean } = {}): Promise<ScriptedWsServer> {
  const server = createServer((_req, res) => res.writeHead(426).end());
  const accept = options.acceptProtocol ?? true;
  const wss = new WebSocketServer({ server, handleProtocols: (protocols) => (accept && protocols.has('graphql-transport-ws') ? 'graphql-transport-ws' : false) });
  const received: ReceivedMessage[] = [];
  let connections = 0;
  wss.on('connection', (socket) => {
    connections += 1;
    const send = (message: unknown): void => socket.send(JSON.stringify(message));
    socket.on('message', (data) => {
      const message = { ...(JSON.parse(String(data)) as Omit<ReceivedMessage, 'at'>), at: Date.now() };
      received.push(message);
      script(message, socket, send);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}/graphql`,
    received,
    get connections() {
      return connections;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
