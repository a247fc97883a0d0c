import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { connect, createServer } from 'node:net';
import { availableParallelism } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { canPin } from './processes.mjs';

/**
 * Why Redis benchmarks cannot run here, or `undefined` when `redis-server` is on PATH.
 *
 * @example
 * ```js
 * import { redisMissing } from './redis.mjs';
 * const reason = redisMissing(); // 'redis-server is not on PATH'
 * ```
 */
export function redisMissing() {
  const probe = spawnSync('redis-server', ['--version'], { stdio: 'ignore' });
  return probe.error ? 'redis-server is not on PATH' : undefined;
}

/**
 * The command and arguments to run `command` on every core, even from this
 * process pinned to one (children inherit the affinity).
 *
 * @example
 * ```js
 * import { onAllCores } from './redis.mjs';
 * const [cmd, args] = onAllCores('redis-server', ['--port', '6390']);
 * ```
 */
export function onAllCores(command, args) {
  if (!canPin().ok) return [command, args];
  return ['taskset', ['-c', `0-${availableParallelism() - 1}`, command, ...args]];
}

/**
 * Starts a `redis-server` on a free 127.0.0.1 port, without persistence, and
 * waits until it accepts connections.
 *
 * @example
 * ```js
 * import { startBenchRedis } from './redis.mjs';
 * const redis = await startBenchRedis();
 * console.log(redis.url);
 * await redis.stop();
 * ```
 */
export async function startBenchRedis() {
  const port = await freePort();
  const [command, args] = onAllCores('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning']);
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const until = Date.now() + 5000;
  while (!(await accepts(port))) {
    if (child.exitCode !== null || Date.now() > until) throw new Error(`redis-server did not listen on 127.0.0.1:${port}`);
    await sleep(25);
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function freePort() {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
