import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { configErrorFrom } from '../../core/config.js';
import { ConnectorError } from '../../core/errors.js';
import { systemErrorCode } from '../../core/system-error.js';
import { CASSETTE_VERSION, cassetteFileSchema, type AnyInteraction, type CassetteFile, type CassetteProtocol, type Interaction } from './format.js';
import type { GrpcInteraction, RecordedGrpcMethod } from './grpc-format.js';
import { CassetteTrack } from './track.js';
import type { WebSocketInteraction } from './websocket-format.js';

/**
 * `record` passes calls on and stores them; `replay` answers from the stored calls
 * with no network.
 *
 * @example
 * ```ts
 * import type { CassetteMode } from 'ia-connectors';
 * const mode: CassetteMode = process.env.CI ? 'replay' : 'record';
 * ```
 */
export type CassetteMode = 'record' | 'replay';

/**
 * Options of a {@link Cassette}.
 *
 * @example
 * ```ts
 * import type { CassetteOptions } from 'ia-connectors';
 * const o: CassetteOptions = { dir: 'cassettes/demo', mode: 'replay' };
 * ```
 */
export interface CassetteOptions {
  /** The folder holding one `<connector>.cassette.json` per connector; created when recording. */
  dir: string;
  mode: CassetteMode;
}

/**
 * What a cassette file says about its connector besides the calls.
 *
 * @example
 * ```ts
 * import type { CassetteHeader } from 'ia-connectors';
 * const h: CassetteHeader = { protocol: 'rest', baseUrl: 'http://127.0.0.1:8080/v1' };
 * ```
 */
export interface CassetteHeader {
  protocol: CassetteProtocol;
  baseUrl: string;
  /** gRPC: the methods the connector loaded at connect. */
  methods?: RecordedGrpcMethod[];
}

interface Recording extends CassetteHeader {
  recordedAt: string;
  entries: { seq: number; interaction: AnyInteraction }[];
}

/**
 * The recorded exchanges of a protocol.
 *
 * @example
 * ```ts
 * import type { InteractionOf } from 'ia-connectors';
 * const first = (calls: InteractionOf<'grpc'>[]) => calls[0]?.request['method'];
 * ```
 */
export type InteractionOf<P extends CassetteProtocol> = P extends 'grpc' ? GrpcInteraction : P extends 'websocket' ? WebSocketInteraction : Interaction;

/**
 * The recorded calls of one run, kept in one folder and shared by every connector of
 * the run: one pretty-printed JSON file per connector. Recording keeps the calls in
 * memory and writes a connector's file when the connector disconnects (`flush`), whole
 * and atomically (a temporary file renamed over the old one), so a reader never sees a
 * half-written file. Replaying reads a connector's file when it connects.
 *
 * @example
 * ```ts
 * import { Cassette, cassetteLayer, createRestConnector } from 'ia-connectors';
 * const cassette = new Cassette({ dir: 'cassettes/demo', mode: 'record' });
 * const options = { name: 'users', baseUrl: 'http://127.0.0.1:8080' };
 * const users = createRestConnector(options, { layers: [cassetteLayer('rest', { cassette, connector: options, redactor: () => users.redactor })] });
 * await users.get('/users').send();
 * await users.disconnect(); // writes cassettes/demo/users.cassette.json
 * ```
 */
export class Cassette {
  readonly dir: string;
  readonly mode: CassetteMode;
  readonly #recordings = new Map<string, Recording>();
  readonly #tracks = new Map<string, Promise<CassetteTrack<AnyInteraction>>>();
  readonly #writes = new Map<string, Promise<void>>();
  #seq = 0;

  constructor(options: CassetteOptions) {
    if (options.mode !== 'record' && options.mode !== 'replay') {
      throw new ConnectorError('CONFIG', `cassette mode: must be "record" or "replay", got ${JSON.stringify(options.mode)}`);
    }
    if (typeof options.dir !== 'string' || options.dir === '') {
      throw new ConnectorError('CONFIG', 'cassette dir: must be the path of a folder, e.g. "cassettes/demo"');
    }
    this.dir = resolve(options.dir);
    this.mode = options.mode;
  }

  /** The file of a connector: `<dir>/<name>.cassette.json`, characters unsafe in file names replaced by `_`. */
  fileOf(connector: string): string {
    return join(this.dir, `${connector.replace(/[^A-Za-z0-9._-]/g, '_')}.cassette.json`);
  }

  /** A position in the recording, taken when an attempt starts, so the file lists attempts in the order they were made. */
  begin(): number {
    return ++this.#seq;
  }

  /** Stores a finished attempt (already redacted) under the position `begin()` gave it. */
  record(connector: string, header: CassetteHeader, seq: number, interaction: AnyInteraction): void {
    this.#expect('record', 'record calls');
    this.#recording(connector, header).entries.push({ seq, interaction });
  }

  /**
   * Sets what the file says about a connector besides its calls (the gRPC methods it
   * loaded), so that its file is written even when it made no call.
   */
  describe(connector: string, header: CassetteHeader): void {
    this.#expect('record', 'record calls');
    Object.assign(this.#recording(connector, header), header);
  }

  /** Writes the file of one connector (or of all) with everything recorded so far; writes to one file never overlap. */
  async flush(connector?: string): Promise<void> {
    if (this.mode !== 'record') return;
    const names = connector === undefined ? [...this.#recordings.keys()] : [connector];
    await Promise.all(names.map((name) => this.#queueWrite(name)));
  }

  /** Reads and checks a connector's file for replay (once; every later call shares it). */
  track<P extends CassetteProtocol>(connector: string, protocol: P): Promise<CassetteTrack<InteractionOf<P>>> {
    this.#expect('replay', 'replay calls');
    let pending = this.#tracks.get(connector);
    if (!pending) {
      pending = this.#load(connector, protocol);
      this.#tracks.set(connector, pending);
      pending.catch(() => this.#tracks.delete(connector));
    }
    // Safe: #load checked that the file holds calls of this protocol.
    return pending as Promise<CassetteTrack<InteractionOf<P>>>;
  }

  /** Writes every connector's file; nothing to do when replaying. */
  close(): Promise<void> {
    return this.flush();
  }

  #recording(connector: string, header: CassetteHeader): Recording {
    let recording = this.#recordings.get(connector);
    if (!recording) this.#recordings.set(connector, (recording = { ...header, recordedAt: new Date().toISOString(), entries: [] }));
    return recording;
  }

  #queueWrite(connector: string): Promise<void> {
    const recording = this.#recordings.get(connector);
    if (!recording) return Promise.resolve();
    const previous = this.#writes.get(connector) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(() => this.#write(connector, recording));
    this.#writes.set(connector, next);
    return next;
  }

  async #write(connector: string, recording: Recording): Promise<void> {
    const file = this.fileOf(connector);
    const interactions = [...recording.entries].sort((a, b) => a.seq - b.seq).map((e) => e.interaction);
    const { protocol, baseUrl, recordedAt, methods } = recording;
    const content: CassetteFile = { cassette: CASSETTE_VERSION, connector, protocol, baseUrl, recordedAt, ...(methods ? { methods } : {}), interactions };
    const temporary = join(this.dir, `.${basename(file)}.${process.pid}.${randomUUID()}.tmp`);
    try {
      await mkdir(this.dir, { recursive: true });
      await writeFile(temporary, `${JSON.stringify(content, null, 2)}\n`, { mode: 0o600 });
      await rename(temporary, file);
    } catch (error) {
      await rm(temporary, { force: true });
      const code = systemErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
      throw new ConnectorError('CONFIG', `cannot write cassette file ${file} (${code}); check that the --record folder ${this.dir} is writable`, { cause: error });
    }
  }

  async #load(connector: string, protocol: CassetteProtocol): Promise<CassetteTrack<AnyInteraction>> {
    const file = this.fileOf(connector);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = systemErrorCode(error);
      const why = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(error)})`;
      throw new ConnectorError('CONFIG', `cassette file ${file} for connector "${connector}" ${why}; record the run first with --record ${this.dir}`, {
        cause: error,
        details: { connector, file },
      });
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ConnectorError('CONFIG', `cassette file ${file} is not valid JSON (${(error as Error).message}); record it again with --record ${this.dir}`, { cause: error });
    }
    const parsed = cassetteFileSchema.safeParse(value);
    if (!parsed.success) throw configErrorFrom(parsed.error, `cassette file ${file} (record it again with --record ${this.dir})`);
    if (parsed.data.protocol !== protocol) {
      throw new ConnectorError('CONFIG', `cassette file ${file} holds ${parsed.data.protocol} calls but connector "${connector}" is ${protocol}; record it again with --record ${this.dir}`);
    }
    const data = parsed.data;
    return new CassetteTrack<AnyInteraction>(file, data.interactions as AnyInteraction[], data.baseUrl, data.protocol === 'grpc' ? (data.methods as RecordedGrpcMethod[]) : []);
  }

  #expect(mode: CassetteMode, what: string): void {
    if (this.mode !== mode) throw new ConnectorError('CONFIG', `a cassette opened for ${this.mode} cannot ${what}; open one with mode "${mode}"`);
  }
}
