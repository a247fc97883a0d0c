import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const repo = path.resolve(import.meta.dirname, '..', '..', '..');
const script = path.join(repo, 'test', 'fixtures', 'redis-tokens', 'worker.mjs');

/** What a worker's connector is built from. */
export interface WorkerOpenOptions {
  baseUrl: string;
  redisUrl: string;
  keyPrefix: string;
  /** The oauth2 auth settings, without `type` and `tokenStore`. */
  auth: Record<string, unknown>;
  /** Offer the lease methods of the store (false: a plain shared cache). */
  leases: boolean;
}

/** One call's outcome inside a worker. */
export interface WorkerCall {
  status: number;
  events: unknown[];
}

/** A child process with an oauth2 connector over the compiled library and a RedisTokenStore. */
export interface TokenWorker {
  open(options: WorkerOpenOptions): Promise<{ json: string }>;
  call(path: string): Promise<WorkerCall>;
  close(): Promise<void>;
  kill(): Promise<void>;
}

/** Starts `count` workers; `record` receives everything they print. */
export async function startTokenWorkers(count: number, env: Record<string, string>, record: (source: string, text: string) => void): Promise<TokenWorker[]> {
  const dist = path.resolve(repo, process.env.IA_CONNECTORS_DIST ?? 'dist');
  if (!existsSync(path.join(dist, 'auth', 'redis-token-store.js'))) {
    throw new Error(`${dist} has no auth/redis-token-store.js: build first (npm run build) or set IA_CONNECTORS_DIST`);
  }
  return Promise.all(Array.from({ length: count }, (_, i) => startWorker(i, env, record)));
}

async function startWorker(index: number, env: Record<string, string>, record: (source: string, text: string) => void): Promise<TokenWorker> {
  const child: ChildProcess = fork(script, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.stdout?.on('data', (chunk: Buffer) => record(`worker ${index} stdout`, chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => record(`worker ${index} stderr`, chunk.toString()));
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let next = 0;
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`worker ${index} exited with ${code} before it was ready`)));
    child.on('message', (message: { ready?: boolean; id?: number; result?: unknown; error?: { code: string; message: string } }) => {
      if (message.ready) return resolve();
      const waiter = pending.get(message.id ?? -1);
      if (!waiter) return;
      pending.delete(message.id ?? -1);
      if (message.error) {
        record(`worker ${index} error`, JSON.stringify(message.error));
        waiter.reject(Object.assign(new Error(`worker ${index}: ${message.error.code} ${message.error.message}`), { code: message.error.code }));
      } else waiter.resolve(message.result);
    });
  });
  await ready;
  const send = <T>(op: string, body: object = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      child.send({ id, op, ...body });
    });
  return {
    open: async (options) => {
      const result = await send<{ json: string }>('open', options);
      record(`worker ${index} toJSON`, result.json);
      return result;
    },
    call: async (p) => {
      const result = await send<WorkerCall>('call', { path: p });
      record(`worker ${index} events`, JSON.stringify(result.events));
      return result;
    },
    close: () => send('close'),
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    },
  };
}
