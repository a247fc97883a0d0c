import { describe, expect, it } from 'vitest';
import { call, fetchToken, useSandbox } from './helpers.js';

const fixture = useSandbox();

interface UserPage {
  data: { id: number; username: string }[];
  next_cursor: string | null;
}

describe('sandbox pagination', () => {
  it('pages /users by cursor, with the next cursor in the body and a Link rel="next" header', async () => {
    const sandbox = await fixture.start();
    const headers = { authorization: `Bearer ${await fetchToken(sandbox)}` };
    const seen: string[] = [];
    let url: string | undefined = `${sandbox.urls.rest}/users?limit=3`;
    const links: (string | undefined)[] = [];
    while (url) {
      const res = await call(url, { headers });
      expect(res.status).toBe(200);
      const page = res.body as UserPage;
      seen.push(...page.data.map((u) => u.username));
      const link = res.headers['link'] as string | undefined;
      links.push(link);
      if (page.next_cursor === null) {
        expect(link).toBeUndefined();
        url = undefined;
      } else {
        const next = `${sandbox.urls.rest}/users?limit=3&cursor=${page.next_cursor}`;
        expect(link).toBe(`<${next}>; rel="next"`);
        url = next;
      }
    }
    expect(seen).toEqual(['ada', 'alan', 'grace', 'linus', 'margaret', 'edsger', 'barbara']);
    expect(links).toHaveLength(3);
  });

  it('refuses a cursor it did not issue and a limit out of range', async () => {
    const sandbox = await fixture.start();
    const headers = { authorization: `Bearer ${await fetchToken(sandbox)}` };
    const bad = await call(`${sandbox.urls.rest}/users?cursor=not-a-cursor`, { headers });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'invalid_cursor' });
    const limit = await call(`${sandbox.urls.rest}/users?limit=0`, { headers });
    expect(limit.status).toBe(400);
    expect((limit.body as { message: string }).message).toContain('limit must be a whole number from 1 to 100');
  });

  it('pages posts by number with only a Link header; the body stays a plain list', async () => {
    const sandbox = await fixture.start();
    const headers = { authorization: `Bearer ${await fetchToken(sandbox)}` };
    const first = await call(`${sandbox.urls.rest}/users/grace/posts?per_page=3`, { headers });
    expect((first.body as unknown[]).length).toBe(3);
    expect(first.headers['link']).toBe(`<${sandbox.urls.rest}/users/grace/posts?per_page=3&page=2>; rel="next"`);
    const second = await call(`${sandbox.urls.rest}/users/grace/posts?per_page=3&page=2`, { headers });
    expect(second.body).toEqual([expect.objectContaining({ user_id: 3, title: 'COBOL for everyone' })]);
    expect(second.headers['link']).toBeUndefined();
  });
});
