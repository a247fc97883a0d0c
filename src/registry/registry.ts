import { ConnectorError, isConnectorError } from '../core/errors.js';
import type { HealthStatus } from '../core/transport.js';
import type { ConnectorLookup } from '../pipeline/connectors.js';
import type { RestConnector } from '../protocols/rest/connector.js';
import type { LegacyConnectorConfig } from './legacy-schema.js';
import { normalizeConnectorsValue } from './normalize.js';
import { createConnector, type AnyConnector, type ConnectorConfig, type ConnectorConfigInput } from './protocols.js';
import { redactConfig } from './redact-config.js';
import { closedError, connectFailed, connectorJson, protocolOf, redactorOf } from './registry-support.js';
import { configErrorFromIssues } from './report.js';
import { replayConfig } from '../observability/cassette/replay-config.js';
import type { ConnectorExtras } from './extras.js';
import { resolveHeaderReferences } from './resolve-references.js';
import { RegistryStores } from './stores.js';
import { closestMatch } from './suggest.js';

/**
 * The health of one registered connector: its probe's result, or the reason it could
 * not connect.
 *
 * @example
 * ```ts
 * import type { ConnectorHealth } from 'ia-connectors';
 * const h: ConnectorHealth = { name: 'users', ok: true, latencyMs: 4.1, status: 200 };
 * ```
 */
export interface ConnectorHealth extends HealthStatus {
  name: string;
}

/**
 * Where a registered connector came from, for messages: `connectors.yaml:4:5`, or
 * a description such as `register()`.
 *
 * @example
 * ```ts
 * import type { RegisterOptions } from 'ia-connectors';
 * const o: RegisterOptions = { source: 'connectors.yaml:4:5' };
 * ```
 */
export interface RegisterOptions {
  source?: string;
}

/**
 * Settings of a {@link ConnectorRegistry}: what it adds to every connector it builds
 * (observers, a cassette), where `${env:…}` references are read from, and a hook
 * that sees each connector as it is built.
 *
 * @example
 * ```ts
 * import { ConnectorRegistry, runReport, type ConnectorRegistryOptions } from 'ia-connectors';
 * const report = runReport();
 * const options: ConnectorRegistryOptions = { extras: { observers: [report.observer] } };
 * const registry = new ConnectorRegistry(options);
 * ```
 */
export interface ConnectorRegistryOptions {
  extras?: ConnectorExtras;
  /** Variables for `${env:NAME}` in headers and `store.url`; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Called with each connector the registry builds from a config, before it connects. */
  onConnector?: (connector: AnyConnector) => void;
}

interface Entry {
  readonly name: string;
  readonly source: string;
  readonly config: ConnectorConfig | undefined;
  connector: AnyConnector | undefined;
  opening: Promise<AnyConnector> | undefined;
}

/**
 * Named connectors from code or a connectors file. Each connects on its first
 * `get()` (concurrent calls share one connect); `healthCheckAll()` probes all at once;
 * `closeAll()` disconnects everything, also connects still in flight. The registry
 * owns its connectors: after `closeAll()` it refuses further use.
 *
 * @example
 * ```ts
 * import { ConnectorRegistry } from 'ia-connectors';
 * await using registry = new ConnectorRegistry().register({ name: 'users', baseUrl: 'http://127.0.0.1:8080' });
 * const users = await registry.get('users');
 * const res = await users.get('/users/{id}', { params: { id: 'ada' } }).send();
 * ```
 */
export class ConnectorRegistry implements ConnectorLookup, AsyncDisposable {
  readonly #entries = new Map<string, Entry>();
  /** Shared (Redis) stores of connectors whose `store` asks for them, one connection per Redis. */
  readonly #stores = new RegistryStores();
  readonly #options: ConnectorRegistryOptions;
  #closing: Promise<void> | undefined;

  constructor(options: ConnectorRegistryOptions = {}) {
    this.#options = options;
  }

  /**
   * Adds a connector from its config (camelCase, or the legacy snake_case form).
   * An invalid config throws one `CONFIG` error listing every problem; a name already
   * registered throws `CONFIG` naming where both come from.
   */
  register(config: ConnectorConfigInput | LegacyConnectorConfig, options: RegisterOptions = {}): this {
    this.#assertOpen('register');
    const name = typeof config?.name === 'string' ? config.name : undefined;
    const { connectors, issues } = normalizeConnectorsValue({ connectors: [config] });
    const parsed = connectors[0];
    if (issues.length > 0 || !parsed) {
      const local = issues.map((issue) => ({ ...issue, path: issue.path.slice(2) }));
      throw configErrorFromIssues(local, { subject: `config of connector ${name === undefined ? '(unnamed)' : `"${name}"`}` });
    }
    this.#add({ name: parsed.config.name, config: parsed.config, connector: undefined, source: options.source ?? 'register()' });
    return this;
  }

  /** Adds a connector you built; the registry connects it on first use and closes it in `closeAll()`. */
  registerConnector(connector: AnyConnector, options: RegisterOptions = {}): this {
    this.#assertOpen('registerConnector');
    this.#add({ name: connector.name, config: undefined, connector, source: options.source ?? 'registerConnector()' });
    return this;
  }

  /**
   * The named connector, connected. The first call connects it (resolving secret
   * references); concurrent calls share that connect, and a failed connect is tried
   * again by the next call. An unknown name throws `UNKNOWN_CONNECTOR` listing the
   * known names and the closest one. The type parameter states the connector type
   * you expect (REST by default); it is not checked at run time.
   */
  get(name: string): Promise<RestConnector>;
  get<C extends AnyConnector>(name: string): Promise<C>;
  get<C extends AnyConnector>(name: string): Promise<C> {
    const entry = this.#entries.get(name);
    if (!entry) return Promise.reject(this.#unknown(name));
    const ready = entry.connector;
    if (ready && ready.state === 'connected' && !this.#closing) return Promise.resolve(ready as C);
    if (this.#closing) return Promise.reject(closedError(`get("${name}")`));
    entry.opening ??= this.#open(entry).finally(() => {
      entry.opening = undefined;
    });
    return entry.opening as Promise<C>;
  }

  /** True when a connector with this name is registered. */
  has(name: string): boolean {
    return this.#entries.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  /**
   * Probes every connector at once, connecting those not yet connected; never throws.
   * A connector that cannot connect (a missing secret, say) is reported unhealthy with
   * the error's code and message.
   */
  healthCheckAll(): Promise<ConnectorHealth[]> {
    return Promise.all(
      this.names().map(async (name): Promise<ConnectorHealth> => {
        const started = performance.now();
        try {
          const connector = await this.get<AnyConnector>(name);
          return { name, ...(await connector.healthCheck()) };
        } catch (error) {
          const { code, message } = isConnectorError(error) ? error : { code: 'NETWORK', message: String(error) };
          return { name, ok: false, latencyMs: performance.now() - started, error: { code, message } };
        }
      }),
    );
  }

  /**
   * Disconnects every connector, waiting for connects in flight (their `get()` calls
   * fail with `NOT_CONNECTED`), then closes the shared stores' Redis connections. Safe
   * to call many times; every call returns the same promise. A connector that fails to
   * close is reported after all others closed.
   */
  closeAll(): Promise<void> {
    this.#closing ??= this.#closeAll();
    return this.#closing;
  }

  /** Same as `closeAll()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.closeAll();
  }

  /** Names, protocols, states, sources and configs with every secret hidden. */
  toJSON(): { connectors: Record<string, unknown>[] } {
    return {
      connectors: [...this.#entries.values()].map((entry) => ({
        name: entry.name,
        protocol: entry.config?.protocol ?? protocolOf(entry.connector),
        state: entry.connector?.state ?? 'idle',
        source: entry.source,
        config: entry.config ? redactConfig(entry.config) : connectorJson(entry.connector),
      })),
    };
  }

  #add(entry: Omit<Entry, 'opening'>): void {
    const existing = this.#entries.get(entry.name);
    if (existing) {
      throw new ConnectorError(
        'CONFIG',
        `connector name "${entry.name}" is registered twice: first from ${existing.source}, again from ${entry.source}; give each connector its own name`,
        { details: { connector: entry.name, sources: [existing.source, entry.source] } },
      );
    }
    this.#entries.set(entry.name, { ...entry, opening: undefined });
  }

  async #open(entry: Entry): Promise<AnyConnector> {
    let connector = entry.connector;
    try {
      if (!connector && entry.config) {
        const { extras, env, onConnector } = this.#options;
        // A replay answers from cassettes: no auth, no secrets, no shared store to reach.
        const own = extras?.cassette?.mode === 'replay' ? replayConfig(entry.config) : entry.config;
        const { config, secrets, headers } = await resolveHeaderReferences(own, env);
        if (this.#closing) throw closedError(`get("${entry.name}")`);
        const wired = await this.#stores.wire(config, env);
        connector = createConnector(wired.config, extras);
        wired.attach(connector);
        redactorOf(connector)?.add({ secrets, headers });
        onConnector?.(connector);
        entry.connector = connector;
      }
      if (this.#closing || !connector) throw closedError(`get("${entry.name}")`);
      await connector.connect();
    } catch (error) {
      throw connectFailed(entry.name, entry.source, error);
    }
    if (this.#closing) {
      await connector.disconnect().catch(() => undefined);
      throw closedError(`get("${entry.name}")`);
    }
    return connector;
  }

  async #closeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    const results = await Promise.allSettled(
      entries.map(async (entry) => {
        await entry.opening?.catch(() => undefined);
        await entry.connector?.disconnect();
      }),
    );
    await this.#stores.closeAll();
    const failed = results.flatMap((r, i) => (r.status === 'rejected' ? [{ name: (entries[i] as Entry).name, reason: r.reason as unknown }] : []));
    if (failed.length > 0) {
      const list = failed.map((f) => `"${f.name}"`).join(', ');
      throw new ConnectorError('NETWORK', `connectors ${list} did not close cleanly; see the cause`, {
        cause: failed.length === 1 ? failed[0]?.reason : new AggregateError(failed.map((f) => f.reason)),
        details: { connectors: failed.map((f) => f.name) },
      });
    }
  }

  #unknown(name: string): ConnectorError {
    const known = this.names();
    const guess = closestMatch(name, known);
    const hint = guess === undefined ? '' : ` Did you mean "${guess}"?`;
    const list = known.length === 0 ? 'No connectors are registered; load a connectors file or call register().' : `Known connectors: ${known.join(', ')}.`;
    return new ConnectorError('UNKNOWN_CONNECTOR', `no connector named "${name}".${hint} ${list}`, {
      details: { connector: name, known, ...(guess === undefined ? {} : { suggestion: guess }) },
    });
  }

  #assertOpen(action: string): void {
    if (this.#closing) throw closedError(`${action}()`);
  }
}
