import { ConnectorError, isConnectorError } from '../core/errors.js';

/**
 * Turns a failure to listen into a `CONFIG` error naming the service and the port.
 * gRPC reports a busy port only inside its message text, so that is read too.
 *
 * @example
 * ```ts
 * import { listenError } from './listen-error.js';
 * listenError('grpc', 4013, Object.assign(new Error('listen EADDRINUSE'), { code: 'EADDRINUSE' })).message;
 * // 'sandbox grpc service: port 4013 on 127.0.0.1 is in use; choose another port, or omit it for a random free one'
 * ```
 */
export function listenError(name: string, port: number | undefined, error: unknown): ConnectorError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const text = error instanceof Error ? error.message : String(error);
  const busy = code === 'EADDRINUSE' || /\bEADDRINUSE\b/.test(text);
  const denied = code === 'EACCES' || /\bEACCES\b/.test(text);
  const problem = busy ? 'is in use' : denied ? 'needs privileges' : `cannot be opened (${text})`;
  return new ConnectorError('CONFIG', `sandbox ${name} service: port ${port ?? 0} on 127.0.0.1 ${problem}; choose another port, or omit it for a random free one`, {
    cause: error,
  });
}

/**
 * Starts a service and reports a port it cannot listen on as {@link listenError} does.
 *
 * @example
 * ```ts
 * import { listening } from './listen-error.js';
 * import { startGrpcService } from './grpc-service.js';
 * const grpc = await listening('grpc', 4013, (port) => startGrpcService({ port }));
 * ```
 */
export async function listening<T>(name: string, port: number | undefined, start: (port: number) => Promise<T>): Promise<T> {
  try {
    return await start(port ?? 0);
  } catch (error) {
    throw isConnectorError(error) ? error : listenError(name, port, error);
  }
}
