import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const main = join(root, 'dist', 'cli', 'main.js');

// Runs only after `npm run build`: node cannot execute the TypeScript sources directly.
describe.skipIf(!existsSync(main))('the compiled ia-connectors binary', () => {
  it('starts as a process, prints its version and exits 0; bad input exits 2', async () => {
    const run = promisify(execFile);
    const { version } = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string };
    const { stdout } = await run(process.execPath, [main, '--version'], { cwd: root });
    expect(stdout).toBe(`${version}\n`);
    const failed = await run(process.execPath, [main, 'run', 'missing.json', '-c', 'missing.yaml'], { cwd: root }).catch((error: { code: number; stderr: string }) => error);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringMatching(/^error CONFIG: missing\.json: no such file/) });
  });
});
