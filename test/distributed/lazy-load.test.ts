import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dist } from './support.js';

const url = (path: string): string => JSON.stringify(pathToFileURL(join(dist, path)).href);

// Runs in the child before `body`: on exit it reports which of the two packages Node
// loaded. Both are CommonJS, so whether imported or required they land in require.cache.
const probe = `
const { createRequire } = await import('node:module');
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const names = new Set();
  for (const path of Object.keys(cache)) {
    const match = /[\\\\/]node_modules[\\\\/](bullmq|ioredis)[\\\\/]/.exec(path);
    if (match) names.add(match[1]);
  }
  process.stderr.write('loaded: ' + JSON.stringify([...names].sort()) + '\\n');
});
`;

interface Child {
  code: number;
  stdout: string;
  loaded: string[];
}

function runChild(body: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', `${probe}\n${body}`], { env: process.env, timeout: 10_000 }, (error, stdout, stderr) => {
      const line = /^loaded: (.*)$/m.exec(stderr);
      if (!line?.[1]) return reject(new Error(`the child reported nothing (${error?.message ?? 'no error'}):\n${stderr}`));
      resolve({ code: typeof error?.code === 'number' ? error.code : 0, stdout, loaded: JSON.parse(line[1]) as string[] });
    });
  });
}

// main.js reads process.argv.slice(2); with -e, argv[1] would be the first argument.
const cli = (...args: string[]): string => `process.argv = [process.execPath, 'ia-connectors', ...${JSON.stringify(args)}];\nawait import(${url('cli/main.js')});`;

describe('BullMQ and ioredis load on first use', () => {
  it('importing the library loads neither', async () => {
    const child = await runChild(`const lib = await import(${url('index.js')});\nif (typeof lib.createRedisStores !== 'function' || typeof lib.startWorker !== 'function') process.exitCode = 3;`);
    expect(child).toMatchObject({ code: 0, loaded: [] });
  });

  it('the probe sees them once a distributed run or a Redis store needs them', async () => {
    const bullmq = await runChild(`await import(${url('index.js')});\nconst { loadBullmq } = await import(${url('distributed/load-bullmq.js')});\nawait loadBullmq();`);
    expect(bullmq.loaded).toContain('bullmq');
    // Port 1 refuses at once; the holder still opens its client synchronously.
    const stores = await runChild(
      `const { createRedisStores } = await import(${url('index.js')});\nconst stores = createRedisStores({ url: 'redis://127.0.0.1:1' });\nif (typeof stores.client.duplicate !== 'function') process.exitCode = 3;\nawait stores.close();`,
    );
    expect(stores).toMatchObject({ code: 0, loaded: ['ioredis'] });
  });

  it('ia-connectors --version loads neither; ia-connectors status does', async () => {
    const version = await runChild(cli('--version'));
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/), loaded: [] });
    const status = await runChild(cli('status', 'r1', '--redis', 'redis://127.0.0.1:1', '--connect-timeout', '200'));
    expect(status.code).not.toBe(0);
    expect(status.loaded).toEqual(['bullmq', 'ioredis']);
  });
});
