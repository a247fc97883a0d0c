import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Behaviour, RecordedRequest } from '../support/index.js';

/** The compiled library the worker processes run (see the preamble of the test suite). */
export const dist = process.env['IA_CONNECTORS_DIST'] ?? join(import.meta.dirname, '..', '..', 'dist');

/** A fan-out pipeline: load a list, then one POST (or GET) per item. */
export function fanOutPipeline(options: { method?: string; concurrency?: number } = {}) {
  return {
    name: 'Fan out',
    steps: [
      { id: 'load', type: 'api_call', config: { connector: 'api', endpoint: '/list', output_field: 'items' } },
      {
        id: 'fan',
        type: 'foreach',
        config: {
          items: '{{ load.items }}',
          concurrency: options.concurrency ?? 8,
          step: {
            type: 'api_call',
            inputs: { id: '{{ item.id }}' },
            config: { connector: 'api', method: options.method ?? 'POST', endpoint: '/items/{id}', body: { index: '{{ index }}', label: '{{ item.label }}' } },
          },
        },
      },
    ],
    flow: { start_at: 'load', paths: [{ from: 'load', to: 'fan' }] },
    outputs: { items: '{{ fan }}', count: '{{ load.items }}' },
  };
}

/** Answers `GET /list` with `count` items and each item request after `ms` with what it received. */
export function itemRoutes(count: number, ms: number): { list: Behaviour; item: Behaviour } {
  const items = Array.from({ length: count }, (_, i) => ({ id: i, label: `item-${i}` }));
  const send = (res: ServerResponse, body: unknown) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return {
    list: (_req, res) => send(res, items),
    item: async (req: IncomingMessage, res, { body }) => {
      await new Promise((r) => setTimeout(r, ms));
      if (!res.destroyed) send(res, { path: req.url, received: body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : null });
    },
  };
}

/** A connectors file naming `api` at `url`, sending `x-worker: <name>` so the server sees who called. */
export function connectorsYaml(url: string, worker: string): string {
  return `connectors:\n  - name: api\n    protocol: rest\n    baseUrl: ${url}\n    headers: { x-worker: "${worker}" }\n`;
}

/** A temporary folder for pipeline and connectors files. */
export async function workdir(): Promise<{ dir: string; write(name: string, content: string | object): Promise<string>; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ia-connectors-distributed-'));
  return {
    dir,
    async write(name, content) {
      const path = join(dir, name);
      await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2), 'utf8');
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A worker process (`ia-connectors worker`) and what it logged. */
export interface WorkerProcess {
  readonly name: string;
  readonly child: ChildProcess;
  log(): string;
  /** Resolves once the worker printed its ready line. */
  ready: Promise<void>;
  /** Waits for the process to exit, killing it with `signal` first. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Spawns `node <dist>/cli/main.js worker` with short lock settings, so a dead worker's jobs move on fast. */
export function spawnWorker(name: string, connectorsFile: string, redisUrl: string, extra: string[] = []): WorkerProcess {
  const args = ['worker', '-c', connectorsFile, '--redis', redisUrl, '--name', name, '--concurrency', '4', '--lock-duration', '1000', '--stalled-interval', '500', ...extra];
  const child = spawn(process.execPath, [join(dist, 'cli', 'main.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.includes(`worker ${name} ready`)) resolve();
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`worker ${name} exited with ${String(code)} before it was ready:\n${log}`)));
  });
  ready.catch(() => {});
  return {
    name,
    child,
    log: () => log,
    ready,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill(signal);
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

/** Polls until `check` holds, failing after `ms`. */
export async function until(check: () => boolean | Promise<boolean>, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Item requests a server received: `POST /items/<n>` (or GET), with the header values the test inspects. */
export function itemRequests(requests: readonly RecordedRequest[]) {
  return requests
    .filter((r) => r.url.startsWith('/items/'))
    .map((r) => ({ index: Number(r.url.slice('/items/'.length)), worker: String(r.headers['x-worker']), key: r.headers['idempotency-key'] as string | undefined }));
}

/** A result without its timings, which differ from run to run. */
export function withoutTimings(result: { steps: Record<string, object> }): unknown {
  const steps = Object.fromEntries(Object.entries(result.steps).map(([id, r]) => [id, { ...r, durationMs: undefined, startedAt: undefined }]));
  return { ...result, durationMs: undefined, steps };
}
