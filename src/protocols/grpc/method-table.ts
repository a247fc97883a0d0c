import { ConnectorError } from '../../core/errors.js';
import { closestMatch } from '../../registry/suggest.js';
import type { GrpcMethod } from './methods.js';

const INFRASTRUCTURE = /^grpc\.(health|reflection)\./;

/**
 * Where the methods came from, and the settings that pick and mark them.
 *
 * @example
 * ```ts
 * import type { MethodTableOptions } from './method-table.js';
 * const o: MethodTableOptions = { source: 'protoFiles', service: 'demo.Greeter', overrides: { SayHello: { idempotent: true } } };
 * ```
 */
export interface MethodTableOptions {
  /** Named in errors: `protoFiles`, `server reflection`, `the generated client`. */
  source: string;
  service?: string | undefined;
  overrides: Readonly<Record<string, { idempotent?: boolean | undefined }>>;
}

/**
 * The methods a connector can call, looked up by `Method` (in the configured service,
 * or unique across services), `pkg.Service/Method` or `/pkg.Service/Method`; built
 * once at connect, so a call costs one map lookup. Unknown services, methods and
 * `methods` settings are `PROTO` errors listing what exists.
 *
 * @example
 * ```ts
 * import { MethodTable } from './method-table.js';
 * declare const methods: import('./methods.js').GrpcMethod[];
 * const table = new MethodTable(methods, { source: 'protoFiles', overrides: {} });
 * table.get('SayHello').path; // '/demo.Greeter/SayHello'
 * ```
 */
export class MethodTable {
  readonly #byName = new Map<string, GrpcMethod>();
  readonly #ambiguous = new Map<string, string[]>();
  readonly #services: string[];
  readonly #service: string | undefined;
  readonly #source: string;

  constructor(methods: readonly GrpcMethod[], options: MethodTableOptions, extra: readonly GrpcMethod[] = []) {
    this.#source = options.source;
    this.#services = [...new Set(methods.map((m) => m.service))].sort();
    const own = this.#services.filter((s) => !INFRASTRUCTURE.test(s));
    if (options.service !== undefined && !this.#services.includes(options.service)) {
      throw new ConnectorError('PROTO', `service "${options.service}" is not in ${this.#source}; ${this.#listServices(options.service)}`, {
        details: { service: options.service, services: this.#services },
      });
    }
    this.#service = options.service ?? (own.length === 1 ? own[0] : undefined);
    for (const method of [...methods, ...extra]) {
      this.#byName.set(method.path, method);
      this.#byName.set(method.path.slice(1), method);
    }
    for (const method of methods) {
      if (this.#service !== undefined ? method.service !== this.#service : INFRASTRUCTURE.test(method.service)) continue;
      const other = this.#byName.get(method.name);
      if (this.#service === undefined && other && other.path !== method.path) {
        this.#ambiguous.set(method.name, [...(this.#ambiguous.get(method.name) ?? [other.path.slice(1)]), method.path.slice(1)]);
        this.#byName.delete(method.name);
      } else if (!this.#ambiguous.has(method.name)) {
        this.#byName.set(method.name, method);
      }
    }
    for (const [key, setting] of Object.entries(options.overrides)) {
      const method = this.#byName.get(key.replace(/^\//, ''));
      if (!method) throw this.#unknown(key, `methods.${key}`);
      if (setting.idempotent === undefined || setting.idempotent === method.idempotent) continue;
      const marked = { ...method, idempotent: setting.idempotent };
      for (const [alias, value] of this.#byName) if (value === method) this.#byName.set(alias, marked);
    }
  }

  /** The method called `name`; a `PROTO` error listing the available ones otherwise. */
  get(name: string): GrpcMethod {
    const found = this.find(name);
    if (found) return found;
    const ambiguous = this.#ambiguous.get(name)?.sort();
    if (ambiguous) {
      throw new ConnectorError('PROTO', `method "${name}" exists in several services (${ambiguous.join(', ')}); write "${ambiguous[0]}" or set the connector's service`, {
        details: { method: name, candidates: ambiguous },
      });
    }
    throw this.#unknown(name, `method "${name}"`);
  }

  /** The method called `name`, or undefined. */
  find(name: string): GrpcMethod | undefined {
    return this.#byName.get(name) ?? this.#byName.get(name.replace(/^\//, ''));
  }

  /** Every method, once each, by full path. */
  all(): GrpcMethod[] {
    return [...new Set(this.#byName.values())];
  }

  #unknown(name: string, what: string): ConnectorError {
    const slash = name.replace(/^\//, '').lastIndexOf('/');
    const service = slash > 0 ? name.replace(/^\//, '').slice(0, slash) : this.#service;
    if (service !== undefined && !this.#services.includes(service)) {
      return new ConnectorError('PROTO', `${what}: service "${service}" is not in ${this.#source}; ${this.#listServices(service)}`, { details: { method: name } });
    }
    const names = this.all()
      .filter((m) => (service === undefined ? !INFRASTRUCTURE.test(m.service) : m.service === service))
      .map((m) => (service === undefined ? m.path.slice(1) : m.name));
    const wanted = slash > 0 ? name.slice(name.lastIndexOf('/') + 1) : name;
    const guess = closestMatch(wanted, names.map((n) => n.slice(n.lastIndexOf('/') + 1)));
    const hint = guess ? `did you mean "${guess}"? ` : '';
    const scope = service === undefined ? `in ${this.#source}` : `of service ${service}`;
    return new ConnectorError('PROTO', `${what} is not a method ${scope}; ${hint}available: ${names.join(', ') || '(none)'}`, {
      details: { method: name, available: names },
    });
  }

  #listServices(wanted: string): string {
    const guess = closestMatch(wanted, this.#services);
    return `${guess ? `did you mean "${guess}"? ` : ''}available: ${this.#services.join(', ') || '(none)'}`;
  }
}
