import { parse as parseCookies } from 'cookie';
import type { RequestHandler } from 'express';
import { NotAuthorizedError } from '../errors/http-errors.js';
import { SESSION_COOKIE, verifySession, type Session } from '../session/session-token.js';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /**
       * Set by `currentUser` when the request carries a valid session; a service's
       * `refuseRevokedSessions` removes it again when that session was revoked.
       */
      currentUser?: Session;
    }
  }
}

/** Reads the session from the cookie or an `Authorization: Bearer` header; never rejects. */
export function currentUser(jwtKey: string): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    const bearer = header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    const cookie = req.headers.cookie
      ? parseCookies(req.headers.cookie)[SESSION_COOKIE]
      : undefined;
    const token = bearer || cookie;
    req.currentUser = token ? ((await verifySession(token, jwtKey)) ?? undefined) : undefined;
    next();
  };
}

/** 401 unless signed in. Runs before any validation, as API.md orders the checks. */
export const requireAuth: RequestHandler = (req, _res, next) => {
  if (!req.currentUser) throw new NotAuthorizedError();
  next();
};

/** The signed-in user of a route behind `requireAuth`. */
export function signedInUser(req: { currentUser?: Session }): Session {
  if (!req.currentUser) throw new NotAuthorizedError();
  return req.currentUser;
}
