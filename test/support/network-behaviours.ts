import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { setHeaders, type ResponseHeaders } from './respond.js';
import type { Behaviour } from './scripted-server.js';

/**
 * Waits `ms` with the global `setTimeout` (so fake timers control it), then
 * runs `then`; does nothing more if the client disconnected meanwhile.
 */
export function delay(ms: number, then: Behaviour): Behaviour {
  return async (req, res, ctx) => {
    if (await pause(res, ms)) await then(req, res, ctx);
  };
}

/** Never answers: the request stays open until the client gives up or the server closes. */
export function neverRespond(): Behaviour {
  return () => undefined;
}

/**
 * Drops the connection without a response. Over plain HTTP it sends a TCP RST
 * (client sees ECONNRESET or "other side closed"); TLS sockets cannot be reset
 * from Node, so over HTTPS it is an ordinary close.
 */
export function reset(): Behaviour {
  return (req) => abort(req.socket);
}

/**
 * Sends 200 headers promising 1 KiB and 100 bytes of it, then drops the
 * connection, so the failure happens while the client reads the body.
 */
export function resetAfterHeaders(): Behaviour {
  return (req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 1024 });
    res.write('a'.repeat(100), () => abort(req.socket));
  };
}

/**
 * Answers 200 chunked (no Content-Length), writing `chunks` one by one with
 * `intervalMs` between them (global `setTimeout`, so fake timers control it).
 * Stops if the client disconnects.
 */
export function slowBody(chunks: string[], intervalMs: number, headers: ResponseHeaders = {}): Behaviour {
  return async (_req, res) => {
    setHeaders(res, { 'content-type': 'text/plain; charset=utf-8' }, headers);
    res.writeHead(200);
    for (const [i, chunk] of chunks.entries()) {
      if (i > 0 && !(await pause(res, intervalMs))) return;
      res.write(chunk);
    }
    res.end();
  };
}

/** Options for {@link huge}. */
export interface HugeOptions {
  /** Declare the size in Content-Length; otherwise the body is chunked. @default true */
  contentLength?: boolean;
  /** @default 'application/octet-stream' */
  contentType?: string;
}

const CHUNK = Buffer.alloc(64 * 1024, 'a');

/**
 * Streams `bytes` bytes of `a` in 64 KiB chunks, waiting for `drain` so memory
 * stays flat however large the body; stops when the client disconnects.
 */
export function huge(bytes: number, options: HugeOptions = {}): Behaviour {
  return async (_req, res) => {
    res.setHeader('content-type', options.contentType ?? 'application/octet-stream');
    if (options.contentLength ?? true) res.setHeader('content-length', bytes);
    res.writeHead(200);
    for (let left = bytes; left > 0; left -= CHUNK.length) {
      if (isGone(res)) return;
      if (!res.write(CHUNK.subarray(0, Math.min(left, CHUNK.length))) && !(await drained(res))) return;
    }
    res.end();
  };
}

function isGone(res: ServerResponse): boolean {
  return res.destroyed || res.writableEnded;
}

/** Resolves true after `ms`, or false as soon as the response closes. */
function pause(res: ServerResponse, ms: number): Promise<boolean> {
  if (isGone(res)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off('close', onClose);
      resolve(!isGone(res));
    }, ms);
    res.once('close', onClose);
  });
}

/** Resolves true on `drain`, false if the response closes first. */
function drained(res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const onDrain = (): void => settle(true);
    const onClose = (): void => settle(false);
    const settle = (ok: boolean): void => {
      res.off('drain', onDrain).off('close', onClose);
      resolve(ok);
    };
    res.once('drain', onDrain).once('close', onClose);
  });
}

function abort(socket: Socket): void {
  // resetAndDestroy throws for a TLSSocket, whose handle is not a TCP handle.
  try {
    socket.resetAndDestroy();
  } catch {
    socket.destroy();
  }
}
