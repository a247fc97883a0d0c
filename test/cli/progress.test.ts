import { describe, expect, it } from 'vitest';
import { cli, example, useSandboxFiles, useWorkdir } from './helpers.js';

const workdir = useWorkdir();
const sandboxes = useSandboxFiles(workdir);

describe('progress display', () => {
  it('draws a live bar on a terminal: steps done, pages and items, retries and waits', async () => {
    const sandbox = await sandboxes.start();
    const argv = ['run', example('demo.pipeline.json'), '-c', 'sandbox.connectors.yaml', '--param', 'include_usage=false'];
    const { code, stderr } = await cli(argv, { cwd: await workdir.dir(), env: sandbox.env, tty: true });
    expect(code).toBe(0);
    expect(stderr).toContain('\x1B[');
    expect(stderr).toMatch(/#{20} 11\/11 steps \| 12 pages, 20 items \| \d+ retries \| \d+ waits/);
    expect(stderr).toMatch(/retry catalog: attempt 2 in \d+ ms \(status 503\)/);
    expect(stderr).not.toMatch(/rate limit users_api: waiting/);
  });

  it('writes plain lines when not on a terminal, and nothing with --quiet', async () => {
    const sandbox = await sandboxes.start();
    const cwd = await workdir.dir();
    const plain = await cli(['run', example('demo.pipeline.json'), '-c', 'sandbox.connectors.yaml', '-p', 'include_usage=false'], { cwd, env: sandbox.env });
    expect(plain.stderr).not.toContain('\x1B[');
    expect(plain.stderr).toMatch(/^run "Sandbox tour": 11 steps$/m);
    expect(plain.stderr).toMatch(/^step user_posts 7\/7 items done$/m);
    expect(plain.stderr).toMatch(/^step usage skipped: /m);
    const quiet = await cli(['run', example('user-report.pipeline.json'), '-c', 'sandbox.connectors.yaml', '-q'], { cwd, env: sandbox.env });
    expect(quiet.stderr).toBe('');
  });
});
