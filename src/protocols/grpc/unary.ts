import type { ClientUnaryCall, ClientWritableStream, Metadata, ServiceError, StatusObject } from '@grpc/grpc-js';
import { checkMessage, sourceError, type CallSetup } from './call-setup.js';
import { abortedCall, statusError } from './status-error.js';

/**
 * What a finished unary or client-streaming call produced.
 *
 * @example
 * ```ts
 * import type { UnaryOutcome } from './unary.js';
 * const body = (o: UnaryOutcome) => o.body;
 * ```
 */
export interface UnaryOutcome {
  body: unknown;
  headers: Metadata | undefined;
  trailers: Metadata;
}

/**
 * One unary call. Settles on the call's status, which carries the trailers; an abort
 * cancels the call (freeing its HTTP/2 stream) and rejects at once with the signal's
 * reason.
 *
 * @example
 * ```ts
 * import { unaryCall } from './unary.js';
 * declare const setup: import('./call-setup.js').CallSetup;
 * const { body } = await unaryCall(setup, { name: 'ada' });
 * ```
 */
export function unaryCall(setup: CallSetup, message: unknown): Promise<UnaryOutcome> {
  const { client, method, metadata, deadline } = setup;
  return settle(setup, (done) =>
    client.makeUnaryRequest(method.path, method.serialize, method.deserialize, message, metadata, deadline === undefined ? {} : { deadline }, done),
  );
}

/**
 * One client-streaming call: the messages are checked and written in order, waiting
 * for the transport to drain when it asks to; then the request side is closed. A bad
 * message or a failing source cancels the call.
 *
 * @example
 * ```ts
 * import { clientStreamCall } from './unary.js';
 * declare const setup: import('./call-setup.js').CallSetup;
 * const { body } = await clientStreamCall(setup, [{ value: 1 }, { value: 2 }]);
 * ```
 */
export function clientStreamCall(setup: CallSetup, messages: Iterable<unknown> | AsyncIterable<unknown>): Promise<UnaryOutcome> {
  const { client, method, metadata, deadline } = setup;
  return settle(setup, (done, fail) => {
    const call = client.makeClientStreamRequest(method.path, method.serialize, method.deserialize, metadata, deadline === undefined ? {} : { deadline }, done);
    void pump(setup, call, messages, fail);
    return call;
  });
}

type Start = (done: (error: ServiceError | null, value?: unknown) => void, fail: (error: unknown) => void) => ClientUnaryCall | ClientWritableStream<unknown>;

function settle(setup: CallSetup, start: Start): Promise<UnaryOutcome> {
  const { signal, facts, redactor } = setup;
  if (signal?.aborted) return Promise.reject(abortedCall(signal, facts));
  return new Promise((resolve, reject) => {
    let settled = false;
    let value: unknown;
    let failure: ServiceError | null = null;
    let headers: Metadata | undefined;
    const finish = (): void => {
      settled = true;
      signal?.removeEventListener('abort', onAbort);
    };
    const fail = (error: unknown): void => {
      if (settled) return;
      finish();
      call.cancel();
      reject(error);
    };
    const onAbort = (): void => fail(abortedCall(signal as NonNullable<typeof signal>, facts));
    const call = start((error, response) => {
      failure = error;
      value = response;
    }, fail);
    call.on('metadata', (md: Metadata) => (headers = md));
    call.on('status', (status: StatusObject) => {
      setup.onStatus?.(status.code);
      if (settled) return;
      finish();
      // grpc-js reports an OK status without a message through the callback only.
      if (status.code === 0 && failure === null) resolve({ body: value, headers, trailers: status.metadata });
      else reject(statusError(failure ?? status, facts, redactor));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function pump(setup: CallSetup, call: ClientWritableStream<unknown>, messages: Iterable<unknown> | AsyncIterable<unknown>, fail: (error: unknown) => void): Promise<void> {
  let ended = false;
  let wake: (() => void) | undefined;
  call.once('status', () => {
    ended = true;
    wake?.();
  });
  try {
    let index = 0;
    for await (const message of messages) {
      if (ended) return;
      checkMessage(setup, message, `messages[${index++}]`);
      if (!call.write(message)) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          call.once('drain', resolve);
        });
      }
    }
    if (!ended) call.end();
  } catch (error) {
    fail(sourceError(setup, error));
  }
}
