import { LineCounter, parseDocument } from 'yaml';
import { isConnectorError } from '../core/errors.js';
import { validatePipeline } from '../pipeline/validate.js';
import type { Pipeline } from '../pipeline/schema.js';
import type { StepTypes } from '../pipeline/step-types.js';
import { createLocator } from '../registry/positions.js';
import type { ErrorSource } from './format-error.js';
import { parseJsonText } from './json-syntax.js';
import { problemPath } from './problem-path.js';
import { readTextFile } from './read-file.js';
import { attachSource } from './sourced-error.js';

/**
 * A pipeline file read, parsed and validated, with what the CLI needs to point at a
 * line in it later (an unknown connector, a failed template).
 *
 * @example
 * ```ts
 * import { loadPipelineFile } from './load-pipeline.js';
 * const { pipeline, source } = await loadPipelineFile('examples/demo.pipeline.json', process.cwd());
 * ```
 */
export interface LoadedPipeline {
  pipeline: Pipeline;
  source: ErrorSource;
}

/**
 * Reads and validates a pipeline file. Every error it throws carries the file and a
 * locator, so the CLI prints `file:line:column` for syntax errors and for the
 * problems the pipeline checks report.
 *
 * @example
 * ```ts
 * import { loadPipelineFile } from './load-pipeline.js';
 * await loadPipelineFile('pipeline.json', '/work');
 * ```
 */
export async function loadPipelineFile(file: string, cwd: string, steps?: StepTypes): Promise<LoadedPipeline> {
  const text = await readTextFile(file, cwd, 'pipeline');
  return checkPipelineText(text, file, steps);
}

/**
 * {@link loadPipelineFile} for text already read.
 *
 * @example
 * ```ts
 * import { checkPipelineText } from './load-pipeline.js';
 * checkPipelineText('{"name":"p","steps":[{"id":"a","type":"api_call"}],"flow":{"start_at":"a"}}', 'p.json');
 * ```
 */
export function checkPipelineText(text: string, file: string, steps?: StepTypes): LoadedPipeline {
  // Editors on Windows may save a byte order mark, which JSON.parse refuses.
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const value = parseJsonText(clean, file, 'PIPELINE');
  const source = pipelineSource(clean, file, value);
  try {
    return { pipeline: validatePipeline(value, steps ? { steps } : {}), source };
  } catch (error) {
    throw isConnectorError(error) ? attachSource(error, source) : error;
  }
}

function pipelineSource(text: string, file: string, value: unknown): ErrorSource {
  const rawSteps = (value as { steps?: unknown } | null)?.steps;
  const stepIds = Array.isArray(rawSteps) ? rawSteps.map((s) => String((s as { id?: unknown } | null)?.id ?? '')) : [];
  let locator: ReturnType<typeof createLocator> | undefined;
  return {
    file,
    locate: (problem) => {
      const path = problemPath(problem, stepIds);
      if (!path) return undefined;
      if (!locator) {
        const lineCounter = new LineCounter();
        locator = createLocator(parseDocument(text, { lineCounter }), lineCounter);
      }
      return locator(path, false);
    },
  };
}
