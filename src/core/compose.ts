import { ConnectorError } from './errors.js';
import type { CallContext, Handler, Middleware } from './middleware.js';

/**
 * Builds one handler from middleware around a terminal handler. The first middleware
 * listed is the outermost. Calling `next` twice with the same context throws, so a
 * layer cannot send a request twice by accident; a retry passes a fresh context.
 *
 * @example
 * ```ts
 * import { compose } from 'ia-connectors';
 * const handler = compose([async (ctx, next) => `<${await next()}>`], async (ctx) => String(ctx.attempt));
 * ```
 */
export function compose<Req, Res>(middleware: readonly Middleware<Req, Res>[], terminal: Handler<Req, Res>): Handler<Req, Res> {
  const layers = [...middleware];
  if (layers.length === 0) return terminal;

  const run = (index: number, ctx: CallContext<Req>): Promise<Res> => {
    if (index === layers.length) return terminal(ctx);
    const layer = layers[index] as Middleware<Req, Res>;
    let used: CallContext<Req> | CallContext<Req>[] | undefined;
    const next = (nextCtx: CallContext<Req> = ctx): Promise<Res> => {
      if (used === undefined) {
        used = nextCtx;
      } else if (used === nextCtx || (Array.isArray(used) && used.includes(nextCtx))) {
        return Promise.reject(
          new ConnectorError('MIDDLEWARE', `middleware #${index + 1} called next() twice with the same context; pass a new context for each attempt`),
        );
      } else {
        used = Array.isArray(used) ? [...used, nextCtx] : [used, nextCtx];
      }
      return run(index + 1, nextCtx);
    };
    try {
      return layer(ctx, next);
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return (ctx) => run(0, ctx);
}
