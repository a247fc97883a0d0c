import { dirname } from 'node:path';
import { ConnectorError } from '../../core/errors.js';
import type { Interaction } from './format.js';
import type { RecordedGrpcMethod } from './grpc-format.js';
import { requestDifferences } from './match.js';

/**
 * How a protocol shows a stored request in messages and which requests go to the same
 * place (same method and path; same GraphQL operation), for naming the closest one.
 *
 * @example
 * ```ts
 * import type { RequestView } from 'ia-connectors';
 * const view: RequestView = { describe: (r) => `${r.method} ${r.path}`, sameEndpoint: (a, b) => a.method === b.method && a.path === b.path };
 * ```
 */
export interface RequestView {
  describe(request: Record<string, unknown>): string;
  sameEndpoint(a: Record<string, unknown>, b: Record<string, unknown>): boolean;
}

const MAX_DESCRIPTION = 160;

/**
 * What a track needs of a recorded exchange: the request it is matched on, and whether
 * it was superseded (never replayed).
 *
 * @example
 * ```ts
 * import type { TrackedInteraction } from 'ia-connectors';
 * const t: TrackedInteraction = { request: { method: 'GET', path: '/users' } };
 * ```
 */
export interface TrackedInteraction {
  request: Record<string, unknown>;
  superseded?: true;
}

/**
 * One connector's recorded attempts during a replay. Each request gets the first
 * matching attempt not yet used, so repeated identical requests are answered in the
 * recorded order (a 503 and then the 200 of its retry); once all are used the last one
 * answers again. An unmatched request is a `CASSETTE_MISS` error naming the file and
 * the closest recorded request.
 *
 * @example
 * ```ts
 * import { CassetteTrack } from 'ia-connectors';
 * const track = new CassetteTrack('cassettes/users.cassette.json', []);
 * ```
 */
export class CassetteTrack<I extends TrackedInteraction = Interaction> {
  readonly #interactions: readonly I[];
  readonly #used: boolean[];
  /** The origin the calls were recorded against, when the file names it. */
  readonly origin: string | undefined;

  constructor(
    readonly file: string,
    interactions: readonly I[],
    baseUrl?: string,
    /** gRPC: the methods the connector knew when recording. */
    readonly methods: readonly RecordedGrpcMethod[] = [],
  ) {
    this.#interactions = interactions;
    this.#used = interactions.map(() => false);
    this.origin = originOf(baseUrl);
  }

  /** Every recorded exchange, in the order they were made. */
  get interactions(): readonly I[] {
    return this.#interactions;
  }

  /** How many recorded attempts no request has used yet (superseded ones are never used). */
  get unused(): number {
    return this.#interactions.filter((i, n) => !i.superseded && !this.#used[n]).length;
  }

  /** The recorded attempt that answers `live`; throws `CASSETTE_MISS` when none matches. */
  answer(live: Record<string, unknown>, view: RequestView, connector: string): I {
    let last = -1;
    for (let n = 0; n < this.#interactions.length; n++) {
      const interaction = this.#interactions[n] as I;
      if (interaction.superseded || requestDifferences(interaction.request, live).length > 0) continue;
      if (!this.#used[n]) {
        this.#used[n] = true;
        return interaction;
      }
      last = n;
    }
    if (last >= 0) return this.#interactions[last] as I;
    throw this.#miss(live, view, connector);
  }

  #miss(live: Record<string, unknown>, view: RequestView, connector: string): ConnectorError {
    let best: { request: Record<string, unknown>; rank: number; differences: string[] } | undefined;
    for (const { request, superseded } of this.#interactions) {
      if (superseded) continue;
      const differences = requestDifferences(request, live);
      const rank = (view.sameEndpoint(request, live) ? 0 : 1_000_000) + differences.length;
      if (!best || rank < best.rank) best = { request, rank, differences };
    }
    const asked = clip(view.describe(live));
    const closest = best
      ? `the closest recorded request is ${clip(view.describe(best.request))} (${differing(best.differences)})`
      : 'the cassette holds no requests';
    return new ConnectorError(
      'CASSETTE_MISS',
      `connector "${connector}": no recorded answer for ${asked} in cassette ${this.file}; ${closest}. Record the run again with --record ${dirname(this.file)}, or send the request as it was recorded`,
      { details: { connector, file: this.file, request: asked, ...(best ? { closest: clip(view.describe(best.request)), differs: best.differences } : {}) } },
    );
  }
}

/** `differs in query: limit; body: json.title`, grouped by the request's top-level field. */
function differing(paths: readonly string[]): string {
  const groups = new Map<string, string[]>();
  for (const path of paths) {
    const match = /^([^.[]+)[.]?(.*)$/.exec(path);
    const top = match?.[1] ?? path;
    const rest = match?.[2] ?? '';
    const list = groups.get(top) ?? [];
    if (rest !== '' && list.length < 5) list.push(rest);
    groups.set(top, list);
  }
  return `differs in ${[...groups].map(([top, rest]) => `${top}${rest.length > 0 ? `: ${rest.join(', ')}` : ''}`).join('; ')}`;
}

function originOf(baseUrl: string | undefined): string | undefined {
  if (baseUrl === undefined) return undefined;
  try {
    return new URL(baseUrl).origin;
  } catch {
    return undefined;
  }
}

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION)}…` : text;
}
