import { Router, type Response } from 'express';
import {
  SESSION_COOKIE,
  requireAuth,
  signSession,
  signedInUser,
  validate,
  type Database,
} from '@ticketing/common';
import type { AuthConfig } from '../config.js';
import { findUserById } from '../data/user-repository.js';
import type { SignInRateLimit } from '../domain/sign-in-rate-limit.js';
import { changeProfile, signIn, signUp } from '../domain/users-use-cases.js';
import {
  signInBody,
  signUpBody,
  toPublicUser,
  updateProfileBody,
  type PublicUser,
} from '../domain/user-schemas.js';

/** The Users routes of API.md. Each parses, calls one use case, answers. */
export function usersRouter(db: Database, config: AuthConfig, limiter: SignInRateLimit): Router {
  const router = Router();
  const cookieOptions = {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE,
    path: '/',
  } as const;

  async function startSession(res: Response, user: PublicUser) {
    const token = await signSession(user, config.JWT_KEY, config.JWT_TTL_SECONDS);
    res.cookie(SESSION_COOKIE, token, { ...cookieOptions, maxAge: config.JWT_TTL_SECONDS * 1000 });
  }

  router.post('/api/users/signup', async (req, res) => {
    const user = await signUp(db, validate(signUpBody, req.body));
    await startSession(res, user);
    res.status(201).json(user);
  });

  router.post('/api/users/signin', async (req, res) => {
    const user = await signIn(db, limiter, req.ip ?? 'unknown', validate(signInBody, req.body));
    await startSession(res, user);
    res.json(user);
  });

  router.post('/api/users/signout', (_req, res) => {
    res.clearCookie(SESSION_COOKIE, cookieOptions);
    res.json({});
  });

  router.get('/api/users/currentuser', async (req, res) => {
    // Read fresh from the database: the token may predate a profile change or a deleted account.
    const user = req.currentUser && (await findUserById(db, req.currentUser.id));
    res.json({ currentUser: user ? toPublicUser(user) : null });
  });

  router.patch('/api/users/currentuser', requireAuth, async (req, res) => {
    const user = await changeProfile(
      db,
      signedInUser(req).id,
      validate(updateProfileBody, req.body),
    );
    await startSession(res, user);
    res.json(user);
  });

  return router;
}
