import type { IncomingMessage } from 'node:http';
import express, { type RequestHandler } from 'express';
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  UnsupportedMediaTypeError,
  ValidationError,
  type ErrorItem,
} from '../errors/http-errors.js';

/**
 * The checks every request passes before any route, so no route has to remember them: bytes the
 * database or a header cannot hold never reach a handler, and browsers on other sites cannot
 * change anything (API.md v2 Conventions).
 */

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A NUL, or half of a UTF-16 surrogate pair: neither can be stored as UTF-8 text. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this looks for
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Whether a string can be stored and sent back as-is: no NUL, no lone UTF-16 surrogate. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/**
 * A request path whose `%` escapes do not decode to storable UTF-8 names nothing we serve:
 * 404, as API.md answers a malformed id (`/api/tickets/%ff`, `/api/orders/%c0%ae`, `%00`).
 */
export const refuseUndecodablePath: RequestHandler = (req, _res, next) => {
  let decoded: string;
  try {
    decoded = decodeURIComponent(req.path);
  } catch {
    throw new NotFoundError('Not found');
  }
  if (!isStorableText(decoded)) throw new NotFoundError('Not found');
  next();
};

/**
 * A query string must decode strictly to UTF-8 without NUL: express's lenient parser would
 * otherwise turn `%ff` into U+FFFD and pass `%00` through to the database.
 */
export const refuseMalformedQuery: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl;
  const at = url.indexOf('?');
  if (at < 0) return next();
  for (const part of url.slice(at + 1).split('&')) {
    const [rawName = '', ...rest] = part.split('=');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      value = decodeURIComponent(rest.join('=').replace(/\+/g, ' '));
    } catch {
      throw new BadRequestError('Malformed query string: every % escape must be UTF-8');
    }
    if (!isStorableText(name) || !isStorableText(value))
      throw new ValidationError([
        { message: 'Must not contain NUL or invalid characters', field: name.slice(0, 100) },
      ]);
  }
  next();
};

/**
 * Deeper than any body a route reads (two levels), and far below the call stack's limit: a
 * 100 kB body of `[[[[…` is 50,000 levels, which a recursive walk (or any later code) would
 * overflow on, a 500.
 */
export const MAX_BODY_DEPTH = 32;

/**
 * Every string in a parsed JSON body (keys and values) that the database cannot hold, with its
 * path as API.md's `field`, in document order, at most 20. Walks with its own stack, so no body
 * can overflow the call stack; a body nested deeper than MAX_BODY_DEPTH is a 400.
 */
function unstorableFields(body: unknown): ErrorItem[] {
  const found: ErrorItem[] = [];
  const pending: Array<[unknown, string[]]> = [[body, []]];
  while (pending.length > 0 && found.length < 20) {
    const [value, path] = pending.pop()!;
    if (path.length > MAX_BODY_DEPTH)
      throw new BadRequestError(`Request body is nested more than ${MAX_BODY_DEPTH} levels deep`);
    if (typeof value === 'string') {
      if (!isStorableText(value))
        found.push({
          message: 'Must not contain NUL or invalid characters',
          field: path.join('.') || 'body',
        });
      continue;
    }
    if (!value || typeof value !== 'object') continue;
    const children: Array<[unknown, string[]]> = [];
    if (Array.isArray(value)) {
      value.forEach((item, i) => children.push([item, [...path, String(i)]]));
    } else {
      for (const [key, item] of Object.entries(value)) {
        if (!isStorableText(key)) {
          found.push({ message: 'Must not contain NUL or invalid characters', field: 'body' });
          continue;
        }
        children.push([item, [...path, key]]);
      }
    }
    // Reversed onto the stack, so they come off in document order.
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return found;
}

/** 400 with the field of each string in the body that the database cannot hold. */
export const refuseUnstorableBody: RequestHandler = (req, _res, next) => {
  const found = unstorableFields(req.body);
  if (found.length) throw new ValidationError(found);
  next();
};

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * JSON bodies up to 100 kB, UTF-8 only (a declared charset other than UTF-8 is the parser's
 * 415), with bytes that are not valid UTF-8 refused instead of silently replaced.
 */
export const jsonBody = (): RequestHandler =>
  express.json({
    limit: '100kb',
    verify: (_req: IncomingMessage, _res, buffer: Buffer) => {
      try {
        strictUtf8.decode(buffer);
      } catch {
        throw new BadRequestError('Request body is not valid UTF-8');
      }
    },
  });

const hasBody = (req: IncomingMessage): boolean =>
  req.headers['transfer-encoding'] !== undefined ||
  (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0');

/**
 * 415 for a state-changing API request whose body is not JSON. A form that a foreign page can
 * post without a preflight (urlencoded, multipart, text/plain) never reaches a route; requests
 * with no body (sign-out, cancel) need no type.
 */
export const requireJsonBodies: RequestHandler = (req, _res, next) => {
  if (!STATE_CHANGING.has(req.method) || !req.path.startsWith('/api/')) return next();
  const declared = req.headers['content-type'];
  if ((hasBody(req) || declared) && !req.is('application/json'))
    throw new UnsupportedMediaTypeError();
  next();
};

function hostOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.host : undefined;
  } catch {
    return undefined;
  }
}

/**
 * 403 for a state-changing request that a page of another site sent: its `Origin` (or, without
 * one, its `Referer`) names a host other than the one the request was sent to (`Host`, or the
 * `X-Forwarded-Host` a trusted proxy set). `allowedOrigins` adds hosts that may (e.g. a separate
 * storefront origin). No `Origin` and no `Referer` (curl, server-to-server) is allowed.
 */
export function refuseCrossSite(allowedOrigins: string[] = []): RequestHandler {
  const allowed = new Set(allowedOrigins.map(hostOf).filter((h): h is string => Boolean(h)));
  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method)) return next();
    const origin = req.headers.origin;
    const referer = req.headers.referer;
    const source = origin ?? referer;
    if (source === undefined) return next();
    const from = hostOf(source);
    const own = new Set([req.headers.host, trustedForwardedHost(req)]);
    if (from && (own.has(from) || allowed.has(from))) return next();
    throw new ForbiddenError('Cross-site requests are not allowed');
  };
}

/** Express's `req.host` honours X-Forwarded-Host only from proxies `trust proxy` names. */
function trustedForwardedHost(req: express.Request): string | undefined {
  if (!req.headers['x-forwarded-host']) return undefined;
  return req.host;
}

/**
 * `Cache-Control: no-store` on every API answer and on anything answered to a request that
 * carries a session: what one user sees must never be kept by a cache for another. A route may
 * still set its own value for a public answer.
 */
export const noStoreForUsers: RequestHandler = (req, res, next) => {
  if (
    req.path.startsWith('/api/') ||
    req.headers.cookie !== undefined ||
    req.headers.authorization !== undefined
  )
    res.setHeader('Cache-Control', 'no-store');
  next();
};
