import { z } from 'zod';

/**
 * Settings of the `graphql` step, in the pipeline's snake_case vocabulary. `query` is
 * never templated: values reach the operation only through `variables` (templated)
 * and the step's `inputs`, so a value can never change the document.
 *
 * @example
 * ```ts
 * import { graphqlStepConfigSchema } from 'ia-connectors';
 * graphqlStepConfigSchema.parse({ connector: 'shop', query: 'query B($id: ID!) { book(id: $id) { title } }', variables: { id: '{{ parameters.id }}' }, data_path: 'book' });
 * ```
 */
export const graphqlStepConfigSchema = z.strictObject({
  connector: z.string({ error: 'must name a GraphQL connector, e.g. "shop"' }).min(1, { error: 'must not be empty' }),
  query: z.string({ error: 'must be a GraphQL document such as "query { books { title } }"' }).min(1, { error: 'must not be empty' }),
  variables: z.record(z.string(), z.unknown(), { error: 'must be an object of variables, e.g. { "id": "{{ parameters.id }}" }' }).optional(),
  operation_name: z.string({ error: 'must name an operation of the document' }).min(1).optional(),
  output_field: z.string({ error: 'must be a field name such as "books"' }).min(1).optional(),
  /** A path into `data`, such as `book.reviews[0]`; the step's result is the value there. */
  data_path: z.string({ error: 'must be a path into data such as "book.reviews"' }).min(1).optional(),
  /** Keep partial data when the result carries errors (each error is reported as a progress message). @default false */
  allow_partial: z.boolean({ error: 'must be true or false' }).default(false),
});

/**
 * What a pipeline author writes for a `graphql` step.
 *
 * @example
 * ```ts
 * import type { GraphQLStepConfig } from 'ia-connectors';
 * const c: GraphQLStepConfig = { connector: 'shop', query: '{ books { title } }', output_field: 'books', data_path: 'books' };
 * ```
 */
export type GraphQLStepConfig = z.input<typeof graphqlStepConfigSchema>;
