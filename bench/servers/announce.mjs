import process from 'node:process';
import { setTimeout } from 'node:timers';

/**
 * Tells the parent benchmark process where this server listens (one JSON line on
 * stdout) and exits when the parent goes away (stdin closes), so a crashed run
 * never leaves a server behind.
 *
 * @example
 * ```js
 * import { announce } from './announce.mjs';
 * server.listen(0, '127.0.0.1', () => announce({ port: server.address().port }, () => server.close()));
 * ```
 */
export function announce(info, close) {
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const stop = () => {
    Promise.resolve(close()).finally(() => process.exit(0));
    // A server with busy keep-alive sockets may never finish closing on its own.
    setTimeout(() => process.exit(0), 1000).unref();
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
}
