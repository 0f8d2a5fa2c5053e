import {
  SIGNED_IN,
  SIGNED_IN_OR_NOT,
  emptyObjectSchema,
  errorResponses,
  idPathParams,
  jsonResponse,
  type ApiDescription,
} from '@ticketing/common';
import { z } from 'zod';
import {
  adminUserViewSchema,
  changePasswordBody,
  currentUserAnswerSchema,
  publicUserSchema,
  resetConfirmBody,
  resetRequestBody,
  signInBody,
  signUpBody,
  suspensionBody,
  updateProfileBody,
  userLookupQuery,
} from '../domain/user-schemas.js';

const body = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });

/** The Users routes of `users-router.ts`, with the schemas they validate and answer with. */
export const describeUsersApi: ApiDescription = (api) => {
  const tags = ['Users'];
  const setsCookie = 'Sets the session cookie.';

  api.registerPath({
    method: 'post',
    path: '/api/users/signup',
    tags,
    summary: 'Sign up',
    description: `Creates an account and signs it in. ${setsCookie}`,
    request: { body: body(signUpBody) },
    responses: {
      ...jsonResponse(201, publicUserSchema, 'The new user, signed in'),
      ...errorResponses({
        400: true,
        409: 'The email is in use',
        429: 'Too many sign-ups from this client',
      }),
    },
  });

  api.registerPath({
    method: 'post',
    path: '/api/users/signin',
    tags,
    summary: 'Sign in',
    description: `Emails are compared without regard to case. ${setsCookie}`,
    request: { body: body(signInBody) },
    responses: {
      ...jsonResponse(200, publicUserSchema, 'The user, signed in'),
      ...errorResponses({
        400: 'Invalid credentials (the same answer whether or not the email exists)',
        403: 'The account is suspended',
        429: 'Too many failed sign-ins from this client or for this email',
      }),
    },
  });

  api.registerPath({
    method: 'post',
    path: '/api/users/signout',
    tags,
    summary: 'Sign out',
    description: "Clears the cookie and revokes this session's token everywhere.",
    security: SIGNED_IN_OR_NOT,
    responses: { ...jsonResponse(200, emptyObjectSchema, 'Signed out'), ...errorResponses({}) },
  });

  api.registerPath({
    method: 'post',
    path: '/api/users/signout-all',
    tags,
    summary: 'Sign out everywhere',
    description: 'Revokes every session of the user and clears the cookie.',
    security: SIGNED_IN,
    responses: {
      ...jsonResponse(200, emptyObjectSchema, 'Every session signed out'),
      ...errorResponses({ 401: true }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/users/currentuser',
    tags,
    summary: 'Who is signed in',
    security: SIGNED_IN_OR_NOT,
    responses: {
      ...jsonResponse(200, currentUserAnswerSchema, 'The signed-in user, or null'),
      ...errorResponses({}),
    },
  });

  api.registerPath({
    method: 'patch',
    path: '/api/users/currentuser',
    tags,
    summary: 'Change my name or phone',
    description:
      'Email and password cannot be changed here; `phone: null` removes the phone number.',
    security: SIGNED_IN,
    request: { body: body(updateProfileBody) },
    responses: {
      ...jsonResponse(200, publicUserSchema, 'The changed user'),
      ...errorResponses({ 400: true, 401: true }),
    },
  });

  api.registerPath({
    method: 'put',
    path: '/api/users/currentuser/password',
    tags,
    summary: 'Change my password',
    description: `Revokes every other session. ${setsCookie}`,
    security: SIGNED_IN,
    request: { body: body(changePasswordBody) },
    responses: {
      ...jsonResponse(200, publicUserSchema, 'The user, with a new session cookie'),
      ...errorResponses({
        400: 'Invalid input, or a wrong current password (field `currentPassword`)',
        401: true,
        429: 'Too many wrong current passwords',
      }),
    },
  });

  api.registerPath({
    method: 'post',
    path: '/api/users/password-reset',
    tags,
    summary: 'Ask for a password-reset link',
    description:
      'When the email belongs to a user, mails them a link `<PUBLIC_URL>/reset-password?token=<token>`, valid once for 30 minutes. The answer is the same either way.',
    request: { body: body(resetRequestBody) },
    responses: {
      ...jsonResponse(202, emptyObjectSchema, 'Accepted, whether or not the email exists'),
      ...errorResponses({ 400: 'A malformed email', 429: true }),
    },
  });

  api.registerPath({
    method: 'post',
    path: '/api/users/password-reset/confirm',
    tags,
    summary: 'Set a new password with a reset link',
    description: `Revokes every earlier session. ${setsCookie}`,
    request: { body: body(resetConfirmBody) },
    responses: {
      ...jsonResponse(200, publicUserSchema, 'The user, signed in'),
      ...errorResponses({
        400: 'An invalid, used or expired token (field `token`), or an invalid password',
      }),
    },
  });

  const admins = 'Administrators only.';

  api.registerPath({
    method: 'get',
    path: '/api/users',
    tags,
    summary: 'Look a user up by email',
    description: `${admins} Answers zero or one user.`,
    security: SIGNED_IN,
    request: { query: userLookupQuery },
    responses: {
      ...jsonResponse(200, z.array(adminUserViewSchema), 'The user with that email, if any'),
      ...errorResponses({ 400: true, 401: true, 403: 'Not an administrator' }),
    },
  });

  api.registerPath({
    method: 'post',
    path: '/api/users/{id}/suspension',
    tags,
    summary: 'Suspend a user',
    description: `${admins} Revokes their sessions and refuses their sign-ins; their available listings are withdrawn and their unpaid orders cancelled.`,
    security: SIGNED_IN,
    request: { params: idPathParams('user'), body: body(suspensionBody) },
    responses: {
      ...jsonResponse(200, adminUserViewSchema, 'The user, `suspended: true`'),
      ...errorResponses({
        400: true,
        401: true,
        403: 'Not an administrator, or the user is one',
        404: true,
      }),
    },
  });

  api.registerPath({
    method: 'delete',
    path: '/api/users/{id}/suspension',
    tags,
    summary: 'Lift a suspension',
    description: admins,
    security: SIGNED_IN,
    request: { params: idPathParams('user') },
    responses: {
      ...jsonResponse(200, adminUserViewSchema, 'The user, `suspended: false`'),
      ...errorResponses({ 401: true, 403: 'Not an administrator', 404: true }),
    },
  });
};
