import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, useWorkdir } from './helpers.js';

const workdir = useWorkdir();

interface Result {
  status: string;
  outputs: Record<string, unknown>;
  steps: Record<string, { status: string; attempts?: number; result?: unknown }>;
}

const essentials = (text: string) => {
  const r = JSON.parse(text) as Result;
  return { status: r.status, outputs: r.outputs, steps: Object.fromEntries(Object.entries(r.steps).map(([id, s]) => [id, { status: s.status, attempts: s.attempts, result: s.result }])) };
};

describe('ia-connectors demo --record / --replay', () => {
  it('replays a recorded demo run (REST, GraphQL, gRPC, WebSocket) with no sandbox and no network: same result', { timeout: 30_000 }, async () => {
    const cwd = await workdir.dir();
    const recorded = await cli(['demo', '--json', '-q', '--record', 'tapes', '--report', 'demo.html'], { cwd });
    expect(recorded.code).toBe(0);
    const files = await readdir(join(cwd, 'tapes'));
    expect(files.sort()).toEqual(['books', 'catalog', 'catalog_grpc', 'events', 'pricing', 'users_api'].map((n) => `${n}.cassette.json`));
    // The sandbox's own credentials were never written down.
    const tapes = (await Promise.all(files.map((f) => readFile(join(cwd, 'tapes', f), 'utf8')))).join('\n');
    expect(tapes).not.toMatch(/sbx_(secret|key|ws)_/);

    // No sandbox runs now: any call that reached for the network would fail.
    const replayed = await cli(['demo', '--json', '-q', '--replay', 'tapes'], { cwd });
    expect(replayed.stderr).toBe('');
    expect(replayed.code).toBe(0);
    expect(essentials(replayed.stdout)).toEqual(essentials(recorded.stdout));
    const html = await readFile(join(cwd, 'demo.html'), 'utf8');
    expect(html).not.toMatch(/sbx_(secret|key|ws)_/);
  });
});
