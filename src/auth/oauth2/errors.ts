import * as oauth from 'oauth4webapi';
import { ConnectorError, isConnectorError } from '../../core/errors.js';
import type { Redactor } from '../../observability/redact.js';

/**
 * What a token-request error message names.
 *
 * @example
 * ```ts
 * import type { TokenErrorContext } from 'ia-connectors';
 * const c: Omit<TokenErrorContext, 'redactor'> = { connector: 'a', tokenUrl: 'https://auth.example/token', grant: 'client_credentials', timeoutMs: 10_000 };
 * ```
 */
export interface TokenErrorContext {
  connector: string;
  tokenUrl: string;
  grant: string;
  timeoutMs: number;
  redactor: Redactor;
}

const HINTS: Record<string, string> = {
  invalid_client: 'check auth.clientId, auth.clientSecret (or privateKey) and auth.clientAuth',
  invalid_grant: 'the refresh token or assertion was refused (expired, revoked or already used); obtain a new one',
  invalid_scope: 'check auth.scope against what the client may request',
  unauthorized_client: 'this client may not use this grant; check auth.grant',
  unsupported_grant_type: 'the server does not support this grant; check auth.grant',
  invalid_request: 'the server refused the request; check auth.audience, auth.resource and auth.extraParams',
};

const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/**
 * Turns a failed token request into an `AUTH` {@link ConnectorError} carrying the
 * OAuth `error` and `error_description` (as `details.oauthError` and
 * `details.oauthErrorDescription`). Server text passes the redactor, and the raw
 * response is not kept as the cause, so no secret the server echoed survives.
 * Timeouts, network failures and 5xx are retryable.
 *
 * @example
 * ```ts
 * import { tokenRequestError, Redactor } from 'ia-connectors';
 * const err = await tokenRequestError(new TypeError('fetch failed'), { connector: 'a', tokenUrl: 'https://auth.example/token', grant: 'client_credentials', timeoutMs: 10_000, redactor: new Redactor() });
 * ```
 */
export async function tokenRequestError(error: unknown, context: TokenErrorContext): Promise<ConnectorError> {
  if (isConnectorError(error)) return error;
  const { redactor } = context;
  const where = `connector "${context.connector}": token request (${context.grant}) to ${redactor.url(context.tokenUrl)}`;
  const details = { connector: context.connector, tokenUrl: redactor.url(context.tokenUrl), grant: context.grant };

  const describeOAuthError = (body: OAuthErrorBody): ConnectorError => {
    const description = body.description === undefined ? undefined : redactor.text(body.description);
    const code = redactor.text(body.error);
    const hint = HINTS[body.error] ?? (body.status >= 500 ? 'the token server failed; try again later' : 'check the oauth2 settings');
    return new ConnectorError('AUTH', `${where} failed with HTTP ${body.status}: ${code}${description ? ` (${description})` : ''}; ${hint}`, {
      retryable: body.status >= 500 || body.status === 429 || TRANSIENT_ERRORS.has(body.error),
      details: { ...details, status: body.status, oauthError: code, ...(description ? { oauthErrorDescription: description } : {}) },
    });
  };

  const oauthBody = await oauthErrorOf(error);
  if (oauthBody) return describeOAuthError(oauthBody);
  const response = failedResponse(error);
  if (response) {
    const { status } = response;
    const text = await response.text().catch(() => '');
    const body = parseErrorBody(text);
    if (body) return describeOAuthError({ status, ...body });
    return new ConnectorError('AUTH', `${where} failed with HTTP ${status} and no OAuth error body; ${status >= 500 ? 'the token server failed, try again later' : 'check auth.tokenUrl'}`, {
      retryable: status >= 500 || status === 429,
      details: { ...details, status },
    });
  }
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError') {
    return new ConnectorError('AUTH', `${where} got no answer within ${context.timeoutMs} ms; the token server is slow or down (raise auth.tokenTimeout if it is just slow)`, {
      retryable: true,
      details: { ...details, timeoutMs: context.timeoutMs },
    });
  }
  if (error instanceof TypeError && error.message === 'fetch failed') {
    const code = (error.cause as { code?: unknown } | undefined)?.code;
    return new ConnectorError('AUTH', `${where} could not connect (${typeof code === 'string' ? code : redactor.message(error.cause)}); check auth.tokenUrl and that the token server is up`, {
      retryable: true,
      details: { ...details, ...(typeof code === 'string' ? { systemCode: code } : {}) },
    });
  }
  if (error instanceof oauth.UnsupportedOperationError || error instanceof oauth.OperationProcessingError) {
    // oauth4webapi's messages describe the response's shape, never its values.
    return new ConnectorError('AUTH', `${where} returned an unusable token response: ${redactor.message(error)}; only Bearer tokens with an access_token are supported`, {
      details,
    });
  }
  return new ConnectorError('AUTH', `${where} failed: ${redactor.message(error)}`, { details });
}

interface OAuthErrorBody {
  status: number;
  error: string;
  description?: string;
}

/** The unread error response behind an oauth4webapi error about an unexpected status or content type. */
function failedResponse(error: unknown): Response | undefined {
  if (!(error instanceof oauth.OperationProcessingError)) return undefined;
  const cause: unknown = error.cause;
  return cause instanceof Response && !cause.ok && !cause.bodyUsed ? cause : undefined;
}

function parseErrorBody(text: string): Omit<OAuthErrorBody, 'status'> | undefined {
  try {
    const body = JSON.parse(text) as Record<string, unknown>;
    if (typeof body.error !== 'string' || body.error === '') return undefined;
    return { error: body.error, ...(typeof body.error_description === 'string' ? { description: body.error_description } : {}) };
  } catch {
    return undefined;
  }
}

async function oauthErrorOf(error: unknown): Promise<OAuthErrorBody | undefined> {
  if (error instanceof oauth.ResponseBodyError) {
    return { status: error.status, error: error.error, ...(error.error_description ? { description: error.error_description } : {}) };
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    // A 401 with WWW-Authenticate: the body (unread) usually still holds error and error_description.
    const body = await error.response.json().catch(() => undefined) as Record<string, unknown> | undefined;
    const challenge = error.cause[0]?.parameters;
    const code = typeof body?.error === 'string' ? body.error : (challenge?.error ?? 'invalid_client');
    const description = typeof body?.error_description === 'string' ? body.error_description : challenge?.error_description;
    return { status: error.status, error: code, ...(description ? { description } : {}) };
  }
  return undefined;
}
