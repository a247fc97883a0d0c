import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiCallStep, runPipeline, type ConnectorLookup, type PipelineEvent } from '../../src/pipeline/index.js';
import { startTestServer, type SeenRequest, type TestServer } from './support/http-server.js';
import { createUndiciCaller, lookupOf } from './support/undici-caller.js';
import { pipelineOf } from './support/helpers.js';

const ITEMS = ['a', 'b', 'c', 'd', 'e'];
let server: TestServer;
let registry: ConnectorLookup;

function answer(req: SeenRequest) {
  const q = (name: string, fallback: number) => Number(req.query.get(name) ?? fallback);
  switch (req.path) {
    case '/api/cursor': {
      const at = q('cursor', 0);
      const next = at + 2 < ITEMS.length ? String(at + 2) : null;
      return { body: { data: { list: ITEMS.slice(at, at + 2) }, meta: { next } } };
    }
    case '/api/offset':
      return { body: ITEMS.slice(q('offset', 0), q('offset', 0) + q('limit', 50)) };
    case '/api/paged':
      return { body: { results: ITEMS.slice((q('p', 1) - 1) * 2, q('p', 1) * 2) } };
    case '/api/linked': {
      const page = q('page', 1);
      const link = page < 3 ? { link: `</api/linked?page=${page + 1}>; rel="next", </api/linked?page=3>; rel="last"` } : undefined;
      return { headers: link, body: ITEMS.slice((page - 1) * 2, page * 2) };
    }
    case '/api/absolute':
      return { headers: { link: `<${server.url}/api/linked?page=2>; rel="next"` }, body: ['first'] };
    case '/api/escape':
      return { headers: { link: '<http://evil.invalid/steal>; rel="next"' }, body: ['x'] };
    default:
      return undefined;
  }
}

beforeAll(async () => {
  server = await startTestServer(answer);
  registry = lookupOf({ api: createUndiciCaller(`${server.url}/api`) });
});
afterAll(() => server.close());

function requestsTo(path: string, run: () => Promise<unknown>): Promise<{ out: unknown; urls: string[] }> {
  const before = server.requests.length;
  return run().then((out) => ({ out, urls: server.requests.slice(before).filter((r) => r.path === path).map((r) => r.url) }));
}

describe('api_call pagination', () => {
  it('follows a cursor from the body until there is none', async () => {
    const { out, urls } = await requestsTo('/api/cursor', () =>
      apiCallStep({}, { connector: 'api', endpoint: '/cursor', paginate: { type: 'cursor', cursor_path: 'meta.next', items_path: 'data.list' } }, { registry }),
    );
    expect(out).toEqual(ITEMS);
    expect(urls).toEqual(['/api/cursor', '/api/cursor?cursor=2', '/api/cursor?cursor=4']);
  });

  it('walks offset and limit until a page is empty', async () => {
    const { out, urls } = await requestsTo('/api/offset', () =>
      apiCallStep({}, { connector: 'api', endpoint: '/offset', query: { sort: 'id' }, paginate: { type: 'offset', limit: 2 }, output_field: 'all' }, { registry }),
    );
    expect(out).toEqual({ all: ITEMS });
    expect(urls).toEqual([
      '/api/offset?sort=id&offset=0&limit=2',
      '/api/offset?sort=id&offset=2&limit=2',
      '/api/offset?sort=id&offset=4&limit=2',
      '/api/offset?sort=id&offset=5&limit=2',
    ]);
  });

  it('counts page numbers from start', async () => {
    const { out, urls } = await requestsTo('/api/paged', () =>
      apiCallStep({}, { connector: 'api', endpoint: '/paged', paginate: { type: 'page', page_param: 'p', items_path: 'results' } }, { registry }),
    );
    expect(out).toEqual(ITEMS);
    expect(urls).toEqual(['/api/paged?p=1', '/api/paged?p=2', '/api/paged?p=3', '/api/paged?p=4']);
  });

  it('follows relative and absolute Link rel="next" headers', async () => {
    const relative = await requestsTo('/api/linked', () => apiCallStep({}, { connector: 'api', endpoint: '/linked', paginate: { type: 'link' } }, { registry }));
    expect(relative.out).toEqual(ITEMS);
    expect(relative.urls).toEqual(['/api/linked', '/api/linked?page=2', '/api/linked?page=3']);
    const absolute = await apiCallStep({}, { connector: 'api', endpoint: '/absolute', paginate: { type: 'link' } }, { registry });
    expect(absolute).toEqual(['first', 'c', 'd', 'e']);
  });

  it('lets the connector refuse a next link that leaves its base URL', async () => {
    await expect(apiCallStep({}, { connector: 'api', endpoint: '/escape', paginate: { type: 'link' } }, { registry })).rejects.toMatchObject({ code: 'UNSAFE_ENDPOINT' });
  });

  it('stops at max_pages and says more pages remain', async () => {
    const events: PipelineEvent[] = [];
    const pipeline = pipelineOf([{ id: 'list', type: 'api_call', config: { connector: 'api', endpoint: '/linked', paginate: { type: 'link', max_pages: 2 } } }], []);
    const result = await runPipeline(pipeline, { connectors: registry, onEvent: (e) => events.push(e) });
    expect(result.steps['list']).toMatchObject({ status: 'succeeded', result: ['a', 'b', 'c', 'd'], attempts: 2 });
    expect(events.filter((e) => e.type === 'page' || e.type === 'message')).toEqual([
      { type: 'page', stepId: 'list', page: 1, items: 2 },
      { type: 'page', stepId: 'list', page: 2, items: 2 },
      { type: 'message', stepId: 'list', message: 'stopped after max_pages (2); more pages remain' },
    ]);
  });

  it('stops at max_items and cuts the list to it', async () => {
    const { out, urls } = await requestsTo('/api/offset', () =>
      apiCallStep({}, { connector: 'api', endpoint: '/offset', paginate: { type: 'offset', limit: 2, max_items: 3 } }, { registry }),
    );
    expect(out).toEqual(['a', 'b', 'c']);
    expect(urls).toHaveLength(2);
  });

  it('fails clearly when items_path is not in the body', async () => {
    await expect(
      apiCallStep({}, { connector: 'api', endpoint: '/paged', paginate: { type: 'page', page_param: 'p', items_path: 'rows' } }, { registry }),
    ).rejects.toMatchObject({ code: 'STEP', message: 'api_call: page 1: items_path "rows" not found: the response body has no field "rows"; its fields are: results' });
    await expect(apiCallStep({}, { connector: 'api', endpoint: '/paged', paginate: { type: 'page' } }, { registry })).rejects.toMatchObject({
      message: 'api_call: page 1: the response body (set paginate.items_path to the list inside it) is not a list',
    });
  });
});
