import { z } from 'zod';
import { HTTP_METHODS } from '../../core/types.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const itemsPath = z.string({ error: 'must be a path into the response body such as "data.items"' }).min(1).optional();
const bounds = {
  /** Stop after this many pages, even if the server offers more. */
  max_pages: z.number().int().min(1, { error: 'must be at least 1' }).max(100_000).default(100),
  /** Stop once this many items were collected (the list is cut to it). */
  max_items: z.number().int().positive({ error: 'must be a positive number of items' }).optional(),
};
const paramName = (fallback: string) => z.string().min(1, { error: 'must not be empty' }).default(fallback);

/**
 * How an `api_call` walks a paginated API: by `cursor` (a token in the body), `offset`
 * and `limit`, `page` number, or the `link` header's `rel="next"`.
 *
 * @example
 * ```ts
 * import { paginateSchema } from 'ia-connectors';
 * paginateSchema.parse({ type: 'cursor', cursor_path: 'meta.next', items_path: 'data' });
 * ```
 */
export const paginateSchema = z.discriminatedUnion(
  'type',
  [
    z.strictObject({
      type: z.literal('cursor'),
      cursor_path: paramName('next_cursor'),
      cursor_param: paramName('cursor'),
      // A cursor API answers with an object (it must carry the cursor), so items need a path.
      items_path: z.string().min(1).default('items'),
      ...bounds,
    }),
    z.strictObject({
      type: z.literal('offset'),
      offset_param: paramName('offset'),
      limit_param: paramName('limit'),
      limit: z.number().int().positive({ error: 'must be a positive page size, e.g. 50' }).default(50),
      start: z.number().int().min(0).default(0),
      items_path: itemsPath,
      ...bounds,
    }),
    z.strictObject({
      type: z.literal('page'),
      page_param: paramName('page'),
      start: z.number().int().min(0).default(1),
      items_path: itemsPath,
      ...bounds,
    }),
    z.strictObject({ type: z.literal('link'), items_path: itemsPath, ...bounds }),
  ],
  { error: (issue) => (issue.code === 'invalid_union' ? 'type must be "cursor", "offset", "page" or "link"' : undefined) },
);

/**
 * Pagination settings with defaults filled in.
 *
 * @example
 * ```ts
 * import type { Paginate } from 'ia-connectors';
 * const p: Paginate = { type: 'link', max_pages: 10 };
 * ```
 */
export type Paginate = z.output<typeof paginateSchema>;

const status = z.number().int().min(100, { error: 'must be an HTTP status such as 200' }).max(599, { error: 'must be an HTTP status such as 200' });

/**
 * Settings of the `api_call` step, in the seed's snake_case vocabulary.
 *
 * @example
 * ```ts
 * import { apiCallConfigSchema } from 'ia-connectors';
 * apiCallConfigSchema.parse({ connector: 'users_api', endpoint: '/users/{username}', output_field: 'user' });
 * ```
 */
export const apiCallConfigSchema = z
  .strictObject({
    connector: z.string({ error: 'must name a connector, e.g. "users_api"' }).min(1, { error: 'must not be empty' }),
    method: z
      .string({ error: `must be one of ${HTTP_METHODS.join(', ')}` })
      .transform((m) => m.toUpperCase())
      .pipe(z.enum(HTTP_METHODS, { error: `must be one of ${HTTP_METHODS.join(', ')}` }))
      .optional(),
    endpoint: z.string({ error: 'must be a path such as "/users/{username}"' }).min(1, { error: 'must not be empty' }),
    query: z.record(z.string(), z.union([scalar, z.null(), z.array(scalar)]), { error: 'must be an object of query values' }).optional(),
    headers: z.record(z.string(), scalar.transform(String), { error: 'must be an object of header values' }).optional(),
    body: z.unknown().optional(),
    body_field: z.string({ error: 'must name one of the step inputs' }).min(1).optional(),
    output_field: z.string({ error: 'must be a field name such as "user"' }).min(1).optional(),
    expect_status: z.union([status, z.array(status).min(1)], { error: 'must be a status such as 200 or a list such as [200, 404]' }).optional(),
    paginate: paginateSchema.optional(),
  })
  .superRefine((config, ctx) => {
    if (config.body !== undefined && config.body_field !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['body_field'], message: 'use either body or body_field, not both' });
    }
  });

/**
 * What a pipeline author writes for an `api_call` step.
 *
 * @example
 * ```ts
 * import type { ApiCallConfig } from 'ia-connectors';
 * const c: ApiCallConfig = { connector: 'github', endpoint: '/repos/{owner}/{repo}/issues', paginate: { type: 'link' } };
 * ```
 */
export type ApiCallConfig = z.input<typeof apiCallConfigSchema>;

/**
 * `api_call` settings with defaults filled in.
 *
 * @example
 * ```ts
 * import type { ParsedApiCallConfig } from 'ia-connectors';
 * declare const c: ParsedApiCallConfig;
 * c.paginate?.max_pages;
 * ```
 */
export type ParsedApiCallConfig = z.output<typeof apiCallConfigSchema>;
