import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { afterEach } from 'vitest';
import { isConnectorError } from '../../../src/core/errors.js';
import type { ApiResponse } from '../../../src/core/types.js';

/** A fresh temporary folder per test, removed after it. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ia-cassette-'));
    made.push(dir);
    return dir;
  };
}

/** Every file in `dir` with its text. */
export async function filesIn(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const name of await readdir(dir)) out[name] = await readFile(join(dir, name), 'utf8');
  return out;
}

const HOP_BY_HOP = ['connection', 'keep-alive', 'transfer-encoding'];

/** What a caller can observe of a response, without its duration (rounded in the file). */
export function observed(response: ApiResponse): Record<string, unknown> {
  const headers = { ...response.headers };
  for (const name of HOP_BY_HOP) delete headers[name];
  const { status, body, ok, url, attempts } = response;
  return { status, headers, body, ok, url, attempts };
}

/** What a caller can observe of an error. */
export function observedError(error: unknown): Record<string, unknown> {
  if (!isConnectorError(error)) return { foreign: String(error) };
  return { code: error.code, message: error.message, retryable: error.retryable, status: error.status };
}

/** The outcome of a call as plain data: its response or its error. */
export async function outcomeOf(call: Promise<ApiResponse>): Promise<Record<string, unknown>> {
  try {
    return { response: observed(await call) };
  } catch (error) {
    return { error: observedError(error) };
  }
}

/** Ends a response with JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}
