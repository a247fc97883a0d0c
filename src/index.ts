// Curated public API: every export is named here on purpose.
export { ERROR_CODES, type ErrorCode } from './core/error-codes.js';
export { ConnectorError, isConnectorError, hasErrorCode, type ConnectorErrorDetails, type ConnectorErrorOptions } from './core/errors.js';
export { HTTP_METHODS, type HttpMethod, type ApiRequest, type ApiResponse, type QueryParams, type RawBody, type ResponseType, type ResponseHeaders } from './core/types.js';
export type { CallContext, Handler, Middleware, Next } from './core/middleware.js';
export { compose } from './core/compose.js';
export { LAYER_ORDER, orderLayers, type ChainLayer, type LayerName } from './core/chain.js';
export type { Outcome, Verdict, Classifier, RateLimitInfo } from './core/outcome.js';
export { TypedEvents, type Disposable } from './core/events.js';
export type { ConnectorEvents, ConnectorState } from './core/connector-events.js';
export type { HealthStatus, Transport } from './core/transport.js';
export { BaseConnector, type Connector, type ExecuteOptions } from './core/connector.js';
export { durationMs, httpUrl, tlsConfigSchema, configErrorFrom, parseConfig, formatPath } from './core/config.js';

export { REDACTED, Redactor, type RedactionRules } from './observability/redact.js';

export { timeoutConfigSchema, policyConfigShape, type TimeoutConfig } from './policies/schema.js';
export { timeoutSignal, totalTimeoutLayer, attemptTimeoutLayer } from './policies/timeout.js';
export { policyLayers, rateLimitKey, type PolicyConfig, type PolicyContext } from './policies/layers.js';
export { wrap, defaultClassify, type Policy, type PolicyAttempt, type PolicyRunOptions, type PolicyHost } from './policies/policy.js';
export { policyLayer, type PolicyLayerOptions } from './policies/policy-layer.js';
export { RetryPolicy, retryPolicy, type RetryHost } from './policies/retry.js';
export { RetryBudget } from './policies/retry-budget.js';
export { backoffDelay, type Jitter, type BackoffOptions } from './policies/backoff.js';
export {
  retryConfigSchema,
  retryBudgetSchema,
  MAX_ATTEMPTS_CEILING,
  type RetryConfig,
  type RetryOptions,
  type RetryBudgetConfig,
  type ShouldRetry,
} from './policies/retry-schema.js';
export { CircuitBreaker, circuitBreakerPolicy } from './policies/circuit-breaker.js';
export { circuitBreakerConfigSchema, breakerSettings, type CircuitBreakerConfig, type CircuitBreakerOptions, type IsFailure } from './policies/breaker-schema.js';
export type {
  CircuitState,
  MaybePromise,
  BreakerSettings,
  BreakerResult,
  BreakerTransition,
  BreakerAdmission,
  BreakerSnapshot,
  BreakerStore,
} from './policies/breaker-types.js';
export { OutcomeWindow } from './policies/breaker-window.js';
export { MemoryBreakerStore } from './policies/stores/memory-breaker.js';
export { RateLimiter, rateLimitPolicy } from './policies/rate-limiter.js';
export { rateLimitConfigSchema, rateLimitSettings, type RateLimitConfig, type RateLimitOptions, type RateLimitKey } from './policies/rate-limit-schema.js';
export type { RateLimitSettings, RateLimitStore, Reservation } from './policies/rate-limit-types.js';
export { MemoryRateLimitStore } from './policies/stores/memory-rate-limit.js';
export { Bulkhead, bulkheadPolicy } from './policies/bulkhead.js';
export { bulkheadConfigSchema, type BulkheadConfig, type BulkheadOptions } from './policies/bulkhead-schema.js';
export { delayMs } from './policies/fields.js';

export { authConfigSchema, noAuthSchema, type AuthConfig, type AuthOptions } from './auth/schema.js';
export { authLayer, restAuthLayer, applyCredentials, type AuthLayerContext } from './auth/layer.js';
export { createAuthStrategy, unauthorizedStatuses } from './auth/create-strategy.js';
export type { AuthStrategy, AuthCredentials } from './auth/strategy.js';
export { apiKeyAuthSchema, apiKeyStrategy, type ApiKeyAuthConfig } from './auth/api-key.js';
export { bearerAuthSchema, bearerStrategy, type BearerAuthConfig, type TokenProvider } from './auth/bearer.js';
export { basicAuthSchema, basicStrategy, type BasicAuthConfig } from './auth/basic.js';
export { customAuthSchema, customStrategy, type CustomAuthConfig, type HeadersProvider } from './auth/custom.js';
export { oauth2AuthSchema, OAUTH2_GRANTS, CLIENT_AUTH_METHODS, type OAuth2AuthConfig } from './auth/oauth2/schema.js';
export { oauth2Strategy } from './auth/oauth2/strategy.js';
export { jwtAuthSchema, type JwtAuthConfig } from './auth/jwt/schema.js';
export { jwtStrategy } from './auth/jwt/strategy.js';
export { JWT_ALGORITHMS, importSigningKey, type JwtAlgorithm } from './auth/jwt/keys.js';
export { signJwt } from './auth/jwt/sign.js';
export { resolveSecretRef, resolveSecretRefs, isSecretRef, type SecretRefOptions } from './auth/secret-ref.js';
export { secretString } from './auth/secret-schema.js';
export { MemoryTokenStore, isTokenStore, type TokenStore, type StoredToken, type RefreshLease } from './auth/token-store.js';
export { RedisTokenStore, type RedisTokenStoreOptions } from './auth/redis-token-store.js';
export type { AuthRefreshReason } from './auth/refresh-event.js';

export { restConnectorConfigSchema, type RestConnectorConfig, type RestConnectorOptions } from './protocols/rest/config.js';
export { RestConnector, createRestConnector, type RestConnectorExtras } from './protocols/rest/connector.js';
export { RequestBuilder, type RequestInit, type RequestSender } from './protocols/rest/builder.js';
export { RestResponse, httpStatusError } from './protocols/rest/response.js';
export { RestTransport } from './protocols/rest/transport.js';
export { classifyRest, isSafeToRepeat } from './protocols/rest/classify.js';
export { idempotencyLayer, idempotencyLayers } from './protocols/rest/idempotency.js';
export { retryAfterMs, rateLimitInfo } from './protocols/rest/retry-after.js';
export { prepareBase, resolveUrl, resolveTarget, type PreparedBase, type Target } from './protocols/rest/url.js';
export { serializeBody, type SerializedBody } from './protocols/rest/body.js';
export { decodeBody } from './protocols/rest/read-body.js';
export { CollectHandler, type CollectedResponse } from './protocols/rest/collect-handler.js';
export { isRedirect, nextHop, type RedirectHop } from './protocols/rest/redirects.js';
export { toNetworkError } from './protocols/rest/network-errors.js';

export {
  runPipeline,
  parsePipeline,
  validatePipeline,
  createStepRegistry,
  StepRegistry,
  apiCallStep,
  executeApiCall,
  apiCallConfigSchema,
  paginateSchema,
  foreachConfigSchema,
  pipelineSchema,
  conditionSchema,
  CONDITION_OPERATORS,
  type ApiCallDeps,
  type ApiCallConfig,
  type Paginate,
  type Pipeline,
  type PipelineDefinition,
  type PipelineStep,
  type PipelineEdge,
  type Condition,
  type ConditionOperator,
  type ConnectorLookup,
  type RestCaller,
  type StepContext,
  type StepHandler,
  type StepOutput,
  type StepProgress,
  type StepTypeOptions,
  type StepDefinition,
  type StepSettings,
  type StepTypes,
  type StepCallDeps,
  type RunOptions,
  type RunResult,
  type StepRecord,
  type StepError,
  type PipelineEvent,
  type RunCheckpoint,
} from './pipeline/index.js';
export { CancelSignal, toAbortSignal, type CallSignal } from './core/call-signal.js';
export { scheduleDeadline, deadlineQueueStats, type ScheduledDeadline, type Expiring } from './core/deadlines.js';

export {
  CONNECTOR_PROTOCOLS,
  connectorConfigSchema,
  createConnector,
  protocolSchema,
  connectorDefaultsSchema,
  connectorsFileSchema,
  LEGACY_KEYS,
  legacyConnectorConfigSchema,
  isLegacyConnector,
  normalizeLegacyConnector,
  loadConnectorsFile,
  parseConnectorsText,
  createRegistry,
  loadRegistry,
  ConnectorRegistry,
  findSecretReferences,
  listUnresolvedReferences,
  connectorsFileJsonSchema,
  redactConfig,
  type AnyConnector,
  type ConnectorConfig,
  type ConnectorConfigInput,
  type ConnectorProtocol,
  type ProtocolName,
  type ConnectorDefaults,
  type ConnectorsFileInput,
  type LegacyConnectorConfig,
  type LegacyNormalization,
  type LoadedConnectorsFile,
  type ConnectorHealth,
  type ConnectorRegistryOptions,
  type RegisterOptions,
  type SecretReference,
  type UnresolvedReference,
  type ReportedIssue,
  type SourcePosition,
} from './registry/index.js';

export { runCli, EXIT_CODES, exitCodeFor, type CliIo, type CliOutput, type ExitCode } from './cli/index.js';
export {
  startSandbox,
  SANDBOX_PORTS,
  SANDBOX_ENV_NAMES,
  sandboxConnectorsYaml,
  sandboxUrls,
  type Sandbox,
  type SandboxOptions,
  type SandboxUrls,
  type SandboxPorts,
  type SandboxCredentials,
  type SandboxAccessLog,
  type ResilienceSettings,
} from './sandbox/index.js';

export { websocketConnectorConfigSchema, type WebSocketConnectorConfig, type WebSocketConnectorOptions } from './protocols/websocket/config.js';
export { heartbeatConfigSchema, reconnectConfigSchema, receiveBufferSchema, correlationSchema } from './protocols/websocket/config-parts.js';
export { WebSocketConnector, isWebSocketConnector, type WebSocketConnectorExtras } from './protocols/websocket/connector.js';
export { createWebSocketConnector } from './protocols/websocket/create.js';
export type { ReconnectHook, ReconnectSession } from './protocols/websocket/messenger.js';
export type { WebSocketMessage, OutgoingMessage, WireFrame, SocketState, MessageWaitOptions, WebSocketOpenRequest } from './protocols/websocket/types.js';
export type { WebSocketEvents, WebSocketConnectorEvents } from './protocols/websocket/events.js';
export { jsonCodecFilter, FilterChain, type MessageFilter, type SendMeta } from './protocols/websocket/filters.js';
export { MessageStream, type MessageSource } from './protocols/websocket/stream.js';
export { classifyWebSocketOpen } from './protocols/websocket/classify.js';
export { describeCloseCode } from './protocols/websocket/errors.js';
export { websocketHandler, websocketStepOptions } from './pipeline/steps/websocket.js';
export { websocketStepConfigSchema, type WebSocketStepConfig } from './pipeline/steps/websocket-config.js';
export { startWebSocketService, type WebSocketService, type WebSocketServiceOptions } from './sandbox/websocket-service.js';

export { GraphQLConnector, createGraphQLConnector, isGraphQLConnector, type GraphQLConnectorExtras } from './protocols/graphql/connector.js';
export { graphqlConnectorConfigSchema, type GraphQLConnectorOptions, type GraphQLConnectorConfig } from './protocols/graphql/config.js';
export { subscriptionsConfigSchema, type SubscriptionsConfig, type ConnectionParamsBuilder } from './protocols/graphql/subscriptions/config.js';
export type { GraphQLRequest, GraphQLCallOptions } from './protocols/graphql/request.js';
export { prepareDocument, type GraphQLDocument, type OperationKind, type PreparedDocument } from './protocols/graphql/document.js';
export { GraphQLResponse, graphqlErrorsError, type GraphQLExecutionResult, type GraphQLResultError } from './protocols/graphql/result.js';
export type { GraphQLCall, GraphQLOperationCall, GraphQLSocketCall, GraphQLOutcome, OpenedSocket } from './protocols/graphql/call.js';
export { classifyGraphQL } from './protocols/graphql/classify.js';
export type { GraphQLConnectorEvents, SubscriptionReconnectReason } from './protocols/graphql/events.js';
export type { GraphQLSubscription } from './protocols/graphql/subscriptions/stream.js';
export type { BuiltOperationLike } from './protocols/graphql/operation-input.js';
export { graphqlQuery, graphqlMutation, graphqlSubscription, GraphQLOperationBuilder, type BuiltOperation } from './protocols/graphql/builder/operation.js';
export { graphqlFragment, GraphQLFragment, SelectionBuilder, type FieldOptions, type Select } from './protocols/graphql/builder/selection.js';
export { graphqlVariable, GraphQLVariable, graphqlEnum, GraphQLEnumLiteral } from './protocols/graphql/builder/values.js';
export { graphqlStepHandler, graphqlStepOptions, executeGraphQLStep, type GraphQLStepDeps } from './pipeline/steps/graphql.js';
export { graphqlStepConfigSchema, type GraphQLStepConfig } from './pipeline/steps/graphql-config.js';
export { startGraphQLService, type GraphQLService } from './sandbox/graphql-service.js';

export { grpcConnectorConfigSchema, type GrpcConnectorConfig, type GrpcConnectorOptions } from './protocols/grpc/config.js';
export { grpcTlsSchema, grpcChannelSchema, grpcDecodeSchema, type GrpcDecodeOptions } from './protocols/grpc/config-parts.js';
export { GrpcConnector, createGrpcConnector, isGrpcConnector, type GrpcConnectorExtras } from './protocols/grpc/connector.js';
export { GrpcTransport } from './protocols/grpc/transport.js';
export { grpcClassifier } from './protocols/grpc/classify.js';
export { grpcAuthLayer } from './protocols/grpc/auth.js';
export { GRPC_STATUS, grpcStatusName, type GrpcStatusName } from './protocols/grpc/status-codes.js';
export { HEALTH_CHECK_METHOD } from './protocols/grpc/health.js';
export { HEALTH_PROTO } from './protocols/grpc/builtin-protos.js';
export type {
  GrpcCallKind,
  GrpcMetadataInit,
  GrpcMetadata,
  GrpcRequest,
  GrpcStreamRequest,
  GrpcClientStreamRequest,
  GrpcCall,
  GrpcResponse,
  GrpcServerStream,
  GrpcDuplex,
  GrpcResult,
  GrpcMethodInfo,
} from './protocols/grpc/types.js';
export { grpcStepHandler, grpcStepOptions, executeGrpcStep, type GrpcStepDeps } from './pipeline/steps/grpc.js';
export { grpcStepConfigSchema, type GrpcStepConfig } from './pipeline/steps/grpc-config.js';
export { startGrpcService, SANDBOX_CATALOG_PROTO, type GrpcService } from './sandbox/grpc-service.js';
export { systemErrorCode, hostOf } from './core/system-error.js';

// Beyond one machine: distributed runs on BullMQ.
export {
  enqueueRun,
  followRun,
  runStatus,
  startWorker,
  WORKER_DEFAULTS,
  resolveRedisUrl,
  redactRedisUrl,
  DEFAULT_QUEUE_PREFIX,
  withIdempotencyKeys,
  type EnqueueRunOptions,
  type FollowRunOptions,
  type StartWorkerOptions,
  type DistributedWorker,
  type WorkerSettings,
  type RedisTarget,
  type DistributedRunEvent,
  type DistributedRunState,
  type ItemJobData,
  type ItemOutcome,
  type RunJobData,
  type RunStatus,
} from './distributed/index.js';

// Seeing what happened: observers, OpenTelemetry, logs, the run report, cassettes.
export type { CallEvents, CallEventName, ObservedAttributes, ObservedValue } from './core/observer.js';
export type {
  Observer,
  ObservedCall,
  ObservedResult,
  ObservedMessage,
  ObservedProtocol,
  ObservedStep,
  ObservedConnector,
  CallObservation,
  AttemptObservation,
  StepObservation,
} from './observability/observer.js';
export type { ConnectorExtras } from './registry/extras.js';
export { observerLayers } from './observability/layers/observer-layers.js';
export type { ObservationAdapter } from './observability/layers/adapter.js';
export { restObservation, type RestObservationOptions } from './observability/protocols/rest.js';
export { graphqlObservation, type GraphQLObservationOptions } from './observability/protocols/graphql.js';
export { grpcObservation, grpcServerAttributes, type GrpcObservationOptions } from './observability/protocols/grpc.js';
export { websocketObservation, type WebSocketObservationOptions } from './observability/protocols/websocket.js';
export { observeSteps, type ObserveStepsOptions } from './observability/steps.js';
export { openTelemetry, type OpenTelemetryObserver } from './observability/otel/open-telemetry.js';
export type { OpenTelemetryOptions, TracerProviderLike, MeterProviderLike, TextMapPropagatorLike } from './observability/otel/options.js';
export type { Logger, LogFn } from './observability/logging/logger.js';
export { LOG_LEVELS, isLogThreshold, parseLogThreshold, type LogLevel, type LogThreshold } from './observability/logging/levels.js';
export type { RedactorSource } from './observability/logging/redaction.js';
export { redactLogger, RedactingLogger, type RedactLoggerOptions } from './observability/logging/redacting-logger.js';
export { jsonLogger, type JsonLoggerOptions, type LogStream } from './observability/logging/json-logger.js';
export { loggerObserver, type LoggerObserverOptions } from './observability/logging/observer.js';
export { logConnectorEvents, type ConnectorEventSource, type LogConnectorEventsOptions } from './observability/logging/connector-events.js';
export { runReport, type RunReport, type RunReportOptions } from './observability/report/run-report.js';
export type { ReportMeta } from './observability/report/build-data.js';
export type { ReportData, ReportStep, ReportCall, ReportAttempt, ReportEvent } from './observability/report/model.js';
export { Cassette, type CassetteMode, type CassetteOptions, type CassetteHeader, type InteractionOf } from './observability/cassette/store.js';
export { cassetteLayer, cassetteLayerFor, type CassetteLayerOptions, type CassetteChainLayer, type CassetteConnector } from './observability/cassette/layer.js';
export { replayConfig } from './observability/cassette/replay-config.js';
export {
  CASSETTE_VERSION,
  cassetteFileSchema,
  type CassetteFile,
  type CassetteProtocol,
  type Interaction,
  type RecordedBody,
  type RecordedError,
  type AnyInteraction,
} from './observability/cassette/format.js';
export { cassetteChainLayer, type CassetteAdapter, type PreparedRequest, type CassetteRedactor } from './observability/cassette/adapter.js';
export { restCassetteAdapter, type RestCassetteTarget } from './observability/cassette/rest.js';
export { graphqlCassetteAdapter, type GraphQLCassetteTarget } from './observability/cassette/graphql.js';
export { CassetteTrack, type RequestView, type TrackedInteraction } from './observability/cassette/track.js';
export { grpcCassetteLayer, type GrpcCassetteOptions } from './observability/cassette/grpc.js';
export { websocketCassetteLayer, type WebSocketCassetteOptions } from './observability/cassette/websocket.js';
export type { RecordedGrpcMethod, GrpcInteraction, GrpcRecordedResponse } from './observability/cassette/grpc-format.js';
export type { RecordedMessage, RecordedHandshake, WebSocketInteraction } from './observability/cassette/websocket-format.js';
export type { GrpcCallHook, GrpcCallHookLayer } from './protocols/grpc/call-hook.js';
export type { WebSocketMessageHook, WebSocketMessageHookLayer, WebSocketMessagePaths } from './protocols/websocket/message-hook.js';

// Shared policy state on Redis.
export { storeConfigSchema, STORE_ERROR_POLICIES, type StoreConfig, type RedisStoreConfig, type StoreErrorPolicy } from './policies/store-schema.js';
export { RedisRateLimitStore, type RedisStoreOptions } from './policies/stores/redis/rate-limit.js';
export { RedisBreakerStore, type RedisBreakerStoreOptions } from './policies/stores/redis/breaker.js';
export { RedisStores, createRedisStores, type RedisStoresOptions, type RedisStoresEvents } from './policies/stores/redis/stores.js';
export { ConnectorStores, type StoreEventTarget } from './policies/stores/redis/connector-stores.js';
export type { StoreKind } from './policies/stores/redis/failover.js';
