import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes, randomUUID } from 'node:crypto';

/** What follows one unit of work (an HTTP request or a consumed event) through async calls. */
export interface RequestContext {
  requestId: string;
  /** W3C trace id: 32 lowercase hex digits. */
  traceId: string;
  /** W3C span id of the current unit of work: 16 lowercase hex digits. */
  spanId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const currentContext = (): RequestContext | undefined => storage.getStore();

export const runInContext = <T>(ctx: RequestContext, fn: () => T): T => storage.run(ctx, fn);

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}$/;

/** A new context that continues the trace of `traceparent` when it is a valid W3C header. */
export function contextFrom(traceparent?: string, requestId?: string): RequestContext {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  return {
    requestId: requestId ?? randomUUID(),
    traceId: match?.[1] ?? randomBytes(16).toString('hex'),
    spanId: randomBytes(8).toString('hex'),
  };
}

/** The W3C `traceparent` header for the current context, or a fresh trace outside any. */
export function currentTraceparent(): string {
  const ctx = currentContext() ?? contextFrom();
  return `00-${ctx.traceId}-${ctx.spanId}-01`;
}
