import { Router, type Response } from 'express';
import {
  SESSION_COOKIE,
  requireAuth,
  signSession,
  signedInUser,
  validate,
} from '@ticketing/common';
import { findUserById } from '../data/user-repository.js';
import type { AuthContext } from '../domain/auth-context.js';
import { changePassword, changeProfile, signIn, signUp } from '../domain/users-use-cases.js';
import {
  changePasswordBody,
  signInBody,
  signUpBody,
  toPublicUser,
  updateProfileBody,
  type PublicUser,
} from '../domain/user-schemas.js';

/** The Users routes of API.md. Each parses, calls one use case, answers. */
export function usersRouter(ctx: AuthContext): Router {
  const { db, config } = ctx;
  const router = Router();
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE,
    path: '/',
  } as const;

  /**
   * Sets the session cookie. Without `session` it is a new session (a fresh id); with it the
   * same session gets a fresh token (profile or password change), so signing out still ends it.
   */
  async function startSession(
    res: Response,
    user: PublicUser,
    session: { id?: string; issuedAt?: number } = {},
  ) {
    const token = await signSession(user, config.JWT_KEY, config.JWT_TTL_SECONDS, session);
    res.cookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: config.JWT_TTL_SECONDS * 1000 });
  }

  router.post('/api/users/signup', async (req, res) => {
    const user = await signUp(ctx, validate(signUpBody, req.body));
    await startSession(res, user);
    res.status(201).json(user);
  });

  router.post('/api/users/signin', async (req, res) => {
    const user = await signIn(ctx, req.ip ?? 'unknown', validate(signInBody, req.body));
    await startSession(res, user);
    res.json(user);
  });

  router.post('/api/users/signout', async (req, res) => {
    // The token itself is revoked, not only the cookie: a copy of it is signed out too.
    const session = req.currentUser;
    if (session) await ctx.revoker.revokeSession(session.id, session.sessionId, session.expiresAt);
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.json({});
  });

  router.post('/api/users/signout-all', requireAuth, async (req, res) => {
    const session = signedInUser(req);
    await ctx.revoker.apply(ctx.revoker.allBefore(session.id, Date.now() + 1, 'signout-all'));
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.json({});
  });

  router.get('/api/users/currentuser', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    // Read fresh from the database: the token may predate a profile change or a deleted account.
    const user = req.currentUser && (await findUserById(db, req.currentUser.id));
    res.json({ currentUser: user && !user.suspendedAt ? toPublicUser(user) : null });
  });

  router.patch('/api/users/currentuser', requireAuth, async (req, res) => {
    const session = signedInUser(req);
    const user = await changeProfile(db, session.id, validate(updateProfileBody, req.body));
    await startSession(res, user, { id: session.sessionId, issuedAt: session.issuedAt });
    res.json(user);
  });

  router.put('/api/users/currentuser/password', requireAuth, async (req, res) => {
    const session = signedInUser(req);
    const input = validate(changePasswordBody, req.body);
    const moment = Date.now();
    const user = await changePassword(ctx, session.id, input, moment);
    // This session goes on with a token issued at the moment the others were revoked.
    await startSession(res, user, { id: session.sessionId, issuedAt: moment });
    res.json(user);
  });

  return router;
}
