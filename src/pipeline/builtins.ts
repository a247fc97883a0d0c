import { StepRegistry } from './registry.js';
import { apiCallHandler, apiCallOptions } from './steps/api-call-step.js';
import { foreachHandler, foreachOptions } from './steps/foreach.js';
import { graphqlStepHandler, graphqlStepOptions } from './steps/graphql.js';
import { grpcStepHandler, grpcStepOptions } from './steps/grpc.js';
import { websocketHandler, websocketStepOptions } from './steps/websocket.js';

/**
 * A step registry holding the built-in types `api_call`, `foreach` and one per protocol
 * (`websocket`, ...); add your own
 * with `register(type, handler)`.
 *
 * @example
 * ```ts
 * import { createStepRegistry, runPipeline } from 'ia-connectors';
 * declare const connectors: import('ia-connectors').ConnectorLookup;
 * declare const pipeline: string;
 * const steps = createStepRegistry().register('shout', async (ctx) => ({ result: String(ctx.inputs['text']).toUpperCase() }));
 * await runPipeline(pipeline, { connectors, steps });
 * ```
 */
export function createStepRegistry(): StepRegistry {
  return new StepRegistry()
    .register('api_call', apiCallHandler, apiCallOptions)
    .register('foreach', foreachHandler, foreachOptions)
    .register('graphql', graphqlStepHandler, graphqlStepOptions)
    .register('grpc', grpcStepHandler, grpcStepOptions)
    .register('websocket', websocketHandler, websocketStepOptions);
}
