/**
 * A sandbox user. `post_count` lets pipelines branch on whether there is anything to fetch.
 *
 * @example
 * ```ts
 * import type { SandboxUser } from './data.js';
 * const u: SandboxUser = { id: 9, username: 'kay', name: 'Kay', email: 'kay@example.test', post_count: 0 };
 * ```
 */
export interface SandboxUser {
  id: number;
  username: string;
  name: string;
  email: string;
  post_count: number;
}

/**
 * A sandbox post.
 *
 * @example
 * ```ts
 * import type { SandboxPost } from './data.js';
 * const p: SandboxPost = { id: 1, user_id: 1, title: 'Notes', tags: ['math'] };
 * ```
 */
export interface SandboxPost {
  id: number;
  user_id: number;
  title: string;
  tags: string[];
}

const PEOPLE: ReadonlyArray<[string, string, string[]]> = [
  ['ada', 'Ada Lovelace', ['Notes on the Analytical Engine', 'Bernoulli numbers, step by step', 'On poetical science']],
  ['alan', 'Alan Turing', ['On computable numbers', 'Can machines think?']],
  ['grace', 'Grace Hopper', ['The first compiler', 'A bug in the relay', 'Nanoseconds explained', 'COBOL for everyone']],
  ['linus', 'Linus Torvalds', []],
  ['margaret', 'Margaret Hamilton', ['Priority displays on Apollo 11']],
  ['edsger', 'Edsger Dijkstra', ['Go To statement considered harmful', 'Shortest paths']],
  ['barbara', 'Barbara Liskov', ['Data abstraction and hierarchy']],
];

/**
 * The users and posts every sandbox starts with; ids are stable so examples can name them.
 *
 * @example
 * ```ts
 * import { seedPeople } from './data.js';
 * seedPeople().users.find((u) => u.username === 'ada')?.post_count; // 3
 * ```
 */
export function seedPeople(): { users: SandboxUser[]; posts: SandboxPost[] } {
  const users: SandboxUser[] = [];
  const posts: SandboxPost[] = [];
  PEOPLE.forEach(([username, name, titles], i) => {
    const id = i + 1;
    users.push({ id, username, name, email: `${username}@example.test`, post_count: titles.length });
    for (const title of titles) posts.push({ id: posts.length + 1, user_id: id, title, tags: title.toLowerCase().split(/\W+/).filter((w) => w.length > 5) });
  });
  return { users, posts };
}

/**
 * A catalog region.
 *
 * @example
 * ```ts
 * import type { SandboxRegion } from './data.js';
 * const r: SandboxRegion = { code: 'eu', name: 'Europe', currency: 'EUR' };
 * ```
 */
export interface SandboxRegion {
  code: string;
  name: string;
  currency: string;
}

/**
 * Regions of the sandbox catalog.
 *
 * @example
 * ```ts
 * import { REGIONS } from './data.js';
 * REGIONS.map((r) => r.code); // ['eu', 'us', 'apac']
 * ```
 */
export const REGIONS: readonly SandboxRegion[] = [
  { code: 'eu', name: 'Europe', currency: 'EUR' },
  { code: 'us', name: 'United States', currency: 'USD' },
  { code: 'apac', name: 'Asia Pacific', currency: 'SGD' },
];

const PRODUCTS: ReadonlyArray<[string, string, number]> = [
  ['sku-001', 'Analytical engine kit', 1200],
  ['sku-002', 'Punched cards (500)', 35],
  ['sku-003', 'Relay, spare', 4],
  ['sku-004', 'Core rope memory', 480],
  ['sku-005', 'Difference engine poster', 18],
  ['sku-006', 'Slide rule', 42],
];

/**
 * The products, stock levels and prices of one region, derived from fixed tables so
 * every run sees the same numbers.
 *
 * @example
 * ```ts
 * import { REGIONS, regionCatalog } from './data.js';
 * regionCatalog(REGIONS[0]!).products.length; // 6
 * ```
 */
export function regionCatalog(region: SandboxRegion) {
  const offset = REGIONS.indexOf(region);
  const products = PRODUCTS.map(([sku, name]) => ({ sku, name, region: region.code }));
  const stock = PRODUCTS.map(([sku], i) => ({ sku, quantity: ((i + 3) * (offset + 5) * 7) % 50 }));
  const prices = PRODUCTS.map(([sku, , base]) => ({ sku, price: Math.round(base * (1 + offset * 0.1) * 100) / 100, currency: region.currency }));
  return { products, stock, prices };
}
