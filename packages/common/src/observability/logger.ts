import { pino, type Logger } from 'pino';
import { currentContext } from './request-context.js';

/**
 * Structured JSON logs. Every line written inside a request or an event handler carries that
 * request's id and trace id, taken from the async context, so one purchase can be followed
 * across services with a single grep.
 */
export const logger: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { pid: process.pid },
  mixin() {
    const ctx = currentContext();
    return ctx ? { requestId: ctx.requestId, traceId: ctx.traceId } : {};
  },
});

export type { Logger };
