import { createRequire } from 'node:module';
import type * as GraphQL from 'graphql';

// The servers (graphql-http, graphql-ws) load graphql's CommonJS build; under vitest an `import` here could load its
// ESM build, a second copy whose schema objects they refuse. Loading it the way they do keeps one copy.
const { GraphQLError, buildSchema } = createRequire(import.meta.url)('graphql') as typeof GraphQL;

/** Topic-based publish/subscribe for the test schema's subscriptions. */
export class PubSub {
  readonly #topics = new Map<string, Set<(value: unknown) => void>>();

  publish(topic: string, value: unknown): void {
    for (const push of this.#topics.get(topic) ?? []) push(value);
  }

  /** Live subscribers of `topic` (server side). */
  count(topic: string): number {
    return this.#topics.get(topic)?.size ?? 0;
  }

  iterate(topic: string): AsyncIterableIterator<unknown> {
    const queue: unknown[] = [];
    let wake: (() => void) | undefined;
    let done = false;
    const push = (value: unknown): void => {
      queue.push(value);
      wake?.();
    };
    const set = this.#topics.get(topic) ?? new Set();
    this.#topics.set(topic, set.add(push));
    const stop = (): void => {
      done = true;
      set.delete(push);
      wake?.();
    };
    const iterator: AsyncIterableIterator<unknown> = {
      async next() {
        while (queue.length === 0 && !done) await new Promise<void>((resolve) => (wake = resolve));
        if (queue.length > 0) return { value: queue.shift(), done: false };
        return { value: undefined, done: true };
      },
      async return() {
        stop();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }
}

const SDL = /* GraphQL */ `
  type Query {
    hello(name: String): String!
    user(id: ID!): User
    users(first: Int): [User!]!
    broken: String
    count(n: Int!): Int!
    echo(text: String!): String!
    whoami: String
  }
  type User {
    id: ID!
    name: String!
    secret: String
    posts(first: Int): [Post!]!
  }
  type Post {
    id: ID!
    title: String!
  }
  type Mutation {
    addUser(name: String!): User!
  }
  type Subscription {
    ticks: Int!
    countdown(from: Int!): Int!
  }
`;

const USERS = [
  { id: '1', name: 'Ada' },
  { id: '2', name: 'Grace' },
];

/** The context every resolver sees: the credential the request or connection carried. */
export type TestContext = { authorization?: string | undefined };

/** The test schema and its root values, bound to `pubsub`. */
export function testSchema(pubsub: PubSub): { schema: GraphQL.GraphQLSchema; rootValue: Record<string, unknown> } {
  const schema = buildSchema(SDL);
  const users = [...USERS];
  const user = (u: { id: string; name: string }) => ({
    ...u,
    secret: () => {
      throw new GraphQLError('secret is not readable', { extensions: { code: 'FORBIDDEN' } });
    },
    posts: ({ first }: { first?: number }) => [1, 2, 3].slice(0, first ?? 3).map((n) => ({ id: `${u.id}-${n}`, title: `Post ${n} of ${u.name}` })),
  });
  const rootValue = {
    hello: ({ name }: { name?: string }) => `Hello, ${name ?? 'world'}!`,
    user: ({ id }: { id: string }) => {
      const found = users.find((u) => u.id === id);
      return found ? user(found) : null;
    },
    users: ({ first }: { first?: number }) => users.slice(0, first ?? users.length).map(user),
    broken: () => {
      throw new Error('broken resolver');
    },
    count: ({ n }: { n: number }) => n,
    echo: ({ text }: { text: string }) => text,
    whoami: (_args: unknown, context: TestContext) => context?.authorization ?? null,
    addUser: ({ name }: { name: string }) => {
      const created = { id: String(users.length + 1), name };
      users.push(created);
      return user(created);
    },
    ticks: () => mapIterator(pubsub.iterate('ticks'), (value) => ({ ticks: value })),
    countdown: async function* ({ from }: { from: number }) {
      for (let n = from; n > 0; n--) yield { countdown: n };
    },
  };
  return { schema, rootValue };
}

function mapIterator(source: AsyncIterableIterator<unknown>, map: (value: unknown) => unknown): AsyncIterableIterator<unknown> {
  const iterator: AsyncIterableIterator<unknown> = {
    async next() {
      const step = await source.next();
      return step.done ? step : { value: map(step.value), done: false };
    },
    async return() {
      await source.return?.();
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
