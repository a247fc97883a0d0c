// The pipeline module's public API; src/index.ts picks from this list.
export { runPipeline } from './run.js';
export { parsePipeline } from './parse.js';
export { validatePipeline } from './validate.js';
export { createStepRegistry } from './builtins.js';
export { StepRegistry } from './registry.js';
export { apiCallStep, executeApiCall, type ApiCallDeps } from './steps/api-call.js';
export { apiCallConfigSchema, paginateSchema, type ApiCallConfig, type Paginate } from './steps/api-call-config.js';
export { foreachConfigSchema } from './steps/foreach.js';
export { pipelineSchema, type Pipeline, type PipelineDefinition, type PipelineStep, type PipelineEdge } from './schema.js';
export { conditionSchema, CONDITION_OPERATORS, type Condition, type ConditionOperator } from './conditions-schema.js';
export type { ConnectorLookup, RestCaller } from './connectors.js';
export type { StepContext, StepHandler, StepOutput, StepProgress, StepTypeOptions, StepDefinition, StepSettings, StepTypes, StepCallDeps } from './step-types.js';
export type { RunOptions, RunResult, StepRecord, StepError, PipelineEvent, RunCheckpoint } from './run-types.js';
