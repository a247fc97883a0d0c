import { ConnectorError } from '../../core/errors.js';
import type { Middleware } from '../../core/middleware.js';
import type { WebSocketChannel } from '../../protocols/websocket/channel.js';
import type { WebSocketMessageHook, WebSocketMessageHookLayer, WebSocketMessagePaths } from '../../protocols/websocket/message-hook.js';
import type { OutgoingMessage, WebSocketOpenRequest } from '../../protocols/websocket/types.js';
import type { Redactor } from '../redact.js';
import type { CassetteRedactor } from './adapter.js';
import { plainJson } from './json.js';
import { redactorOf, replayedError, throwIfAborted } from './layer-support.js';
import { recordedError, recordedJson } from './redaction.js';
import type { Cassette } from './store.js';
import type { CassetteTrack } from './track.js';
import type { RecordedMessage, WebSocketInteraction } from './websocket-format.js';
import { WEBSOCKET_VIEW, recordedHandshake, recordedIncoming, recordedOutgoing, replayedMessage } from './websocket-values.js';

/**
 * Options of {@link websocketCassetteLayer}.
 *
 * @example
 * ```ts
 * import { Cassette, type WebSocketCassetteOptions } from 'ia-connectors';
 * const o: WebSocketCassetteOptions = { cassette: new Cassette({ dir: 'cassettes', mode: 'record' }), connector: 'events', url: 'ws://127.0.0.1:4014/ws' };
 * ```
 */
export interface WebSocketCassetteOptions {
  cassette: Cassette;
  /** The connector's name: its file is `<dir>/<connector>.cassette.json`. */
  connector: string;
  /** The socket URL (`baseUrl` and `endpoint`), stored in the file for readers. */
  url: string;
  /** The field carrying correlation ids (`correlation.field`, default `id`), left out when requests are stored and matched. */
  correlationField?: string | undefined;
  /** The connector's redactor (or a function returning it): values it knows as secrets are hidden. */
  redactor?: CassetteRedactor | undefined;
}

/**
 * The cassette layer of a WebSocket connector, recording at its message API. Recording,
 * it stores each socket opening (handshake, credentials hidden), each `request()` with
 * its reply, and each `send()` with the messages readers took after it (`receive()`,
 * `stream()`) until the next send. Replaying, the socket is never opened: a request is
 * answered with the recorded reply (matched on the message, its correlation id left
 * out), a send puts the messages recorded after it in the receive buffer, in order, and
 * then the connector stays quiet, so a reader waits as it would for a silent server.
 *
 * @example
 * ```ts
 * import { Cassette, createWebSocketConnector, websocketCassetteLayer } from 'ia-connectors';
 * const cassette = new Cassette({ dir: 'cassettes/demo', mode: 'replay' });
 * const events = createWebSocketConnector(
 *   { name: 'events', baseUrl: 'ws://127.0.0.1:4014', endpoint: '/ws' },
 *   { layers: [websocketCassetteLayer({ cassette, connector: 'events', url: 'ws://127.0.0.1:4014/ws', redactor: () => events.redactor })] },
 * );
 * ```
 */
export function websocketCassetteLayer(options: WebSocketCassetteOptions): WebSocketMessageHookLayer {
  return options.cassette.mode === 'replay' ? replayLayer(options) : recordLayer(options);
}

function recordLayer(options: WebSocketCassetteOptions): WebSocketMessageHookLayer {
  const { cassette, connector, correlationField: field = 'id' } = options;
  const redactor = redactorOf(options.redactor);
  const header = () => ({ protocol: 'websocket' as const, baseUrl: redactor().url(options.url) });
  const add = (interaction: WebSocketInteraction, seq = cassette.begin()): WebSocketInteraction => {
    cassette.record(connector, header(), seq, interaction);
    return interaction;
  };
  // Where messages a reader takes are kept: the latest send, or the first opening before any send.
  let current: WebSocketInteraction | undefined;
  const middleware: Middleware<WebSocketOpenRequest, WebSocketChannel> = async (ctx, next) => {
    const handshake = recordedHandshake(ctx.request, redactor());
    const seq = cassette.begin();
    try {
      const channel = await next();
      const opened = add({ request: { kind: 'open' }, handshake }, seq);
      current ??= opened;
      return channel;
    } catch (error) {
      add({ request: { kind: 'open' }, handshake, error: recordedError(error, redactor()) }, seq);
      throw error;
    }
  };
  const hook: WebSocketMessageHook = {
    live: true,
    async send(message, paths) {
      const stored = storable(message, redactor, undefined);
      if (stored === undefined) return paths.send(message);
      // Kept before the write resolves: a fast reply may be read before that.
      const interaction = add({ request: { kind: 'send', message: stored }, received: [] });
      const before = current;
      current = interaction;
      try {
        await paths.send(message);
      } catch (error) {
        // What is read next answers an earlier send, not this one that never went out.
        if (current === interaction) current = before;
        delete interaction.received;
        interaction.error = recordedError(error, redactor());
        throw error;
      }
    },
    async request(message, waitOptions, paths) {
      const stored = isPlainObject(message) ? storable(message, redactor, field) : undefined;
      if (stored === undefined) return paths.request(message, waitOptions);
      const interaction = add({ request: { kind: 'request', message: stored } });
      try {
        const reply = await paths.request(message, waitOptions);
        interaction.reply = recordedJson(plainJson(reply), redactor());
        return reply;
      } catch (error) {
        interaction.error = recordedError(error, redactor());
        throw error;
      }
    },
    taken(message) {
      current ??= add({ request: { kind: 'open' } });
      (current.received ??= []).push(recordedIncoming(message, redactor()));
    },
  };
  return { name: 'cassette', middleware, close: () => cassette.flush(connector), websocketMessageHook: hook };
}

function replayLayer(options: WebSocketCassetteOptions): WebSocketMessageHookLayer {
  const { cassette, connector, correlationField: field = 'id' } = options;
  const redactor = redactorOf(options.redactor);
  let track: CassetteTrack<WebSocketInteraction> | undefined;
  let started = false;
  const load = async (): Promise<CassetteTrack<WebSocketInteraction>> => (track ??= await cassette.track(connector, 'websocket'));
  // What readers took before the first send of the recording arrives as soon as the connector is used.
  const start = (recorded: CassetteTrack<WebSocketInteraction>, paths: WebSocketMessagePaths): void => {
    if (started) return;
    started = true;
    for (const interaction of recorded.interactions) {
      const kind = interaction.request['kind'];
      if (kind === 'send') break;
      if (kind === 'open') for (const message of interaction.received ?? []) paths.deliver(replayedMessage(message));
    }
  };
  const hook: WebSocketMessageHook = {
    live: false,
    connected(paths) {
      if (track) start(track, paths);
    },
    async send(message, paths) {
      const recorded = await load();
      start(recorded, paths);
      const interaction = recorded.answer({ kind: 'send', message: recordedOutgoing(message, redactor()) }, WEBSOCKET_VIEW, connector);
      if (interaction.error) throw replayedError(interaction.error);
      for (const received of interaction.received ?? []) paths.deliver(replayedMessage(received));
    },
    async request(message, waitOptions, paths) {
      if (!isPlainObject(message)) {
        throw new ConnectorError('INVALID_REQUEST', `request() needs a JSON object to carry the correlation field "${field}"; use send() for other messages`);
      }
      throwIfAborted(waitOptions.signal, connector);
      const recorded = await load();
      start(recorded, paths);
      const interaction = recorded.answer({ kind: 'request', message: recordedOutgoing(message, redactor(), field) }, WEBSOCKET_VIEW, connector);
      if (interaction.error) throw replayedError(interaction.error);
      if (interaction.reply === undefined) {
        throw new ConnectorError('CASSETTE_MISS', `connector "${connector}": the recorded request in cassette ${recorded.file} has no reply (the recording ended while it waited); record the run again`, {
          details: { connector, file: recorded.file },
        });
      }
      const reply: unknown = structuredClone(interaction.reply);
      const own = message[field];
      // An id the caller chose comes back as it was sent; a generated one as it was recorded.
      if ((typeof own === 'string' || typeof own === 'number') && isPlainObject(reply)) reply[field] = own;
      return reply;
    },
    taken: () => undefined,
  };
  const refuse: Middleware<WebSocketOpenRequest, WebSocketChannel> = () =>
    Promise.reject(new ConnectorError('UNSUPPORTED', `connector "${connector}" replays a cassette and opens no socket`, { details: { connector } }));
  return { name: 'cassette', middleware: refuse, open: async () => void (await load()), websocketMessageHook: hook };
}

function storable(message: OutgoingMessage, redactor: () => Redactor, without: string | undefined): RecordedMessage | undefined {
  try {
    return recordedOutgoing(message, redactor(), without);
  } catch {
    // A message that is not JSON is refused by the connector as it always is.
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value) && !(value instanceof ArrayBuffer);
}
