import { z } from 'zod';
import type { UserRecord } from '../data/user-repository.js';

const email = z
  .string({ message: 'Email is required' })
  .trim()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email({ message: 'Email must be a valid email address' }))
  .meta({ format: 'email', maxLength: 254 });

const name = z
  .string({ message: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters');

/**
 * E.164: a plus sign and up to 15 digits, no leading zero. Spaces, dashes and brackets are
 * ignored (API.md), so "+44 (20) 7946-0958" is stored as +442079460958.
 */
const phone = z
  .string({ message: 'Phone must be a string' })
  .transform((s) => s.replace(/[\s\-()]/g, ''))
  .pipe(
    z
      .string()
      .regex(
        /^\+[1-9]\d{1,14}$/,
        'Phone must be an international number such as +44 20 7946 0958 (a + and the country code first)',
      ),
  )
  .meta({
    description: 'E.164, such as +442079460958; spaces, dashes and brackets are ignored',
    example: '+44 20 7946 0958',
  });

const password = z
  .string({ message: 'Password is required' })
  .min(8, 'Password must be 8 to 128 characters')
  .max(128, 'Password must be 8 to 128 characters');

export const signUpBody = z.object({
  email,
  password,
  name,
  phone: phone.optional(),
});

export const signInBody = z.object({
  // At most 254 characters, so a flood of huge emails cannot grow the rate limiter's keys.
  email: z
    .string({ message: 'Email is required' })
    .trim()
    .min(1, 'Email is required')
    .max(254, 'Email must be at most 254 characters'),
  password: z.string({ message: 'Password is required' }).min(1, 'Password is required'),
});

/** How the OpenAPI document shows a field that must be absent: any value is a 400. */
const refused = { type: 'string', not: {}, description: 'Refused (400): cannot be changed here' };

/** `phone: null` removes the phone number. Email and password are refused by name. */
export const updateProfileBody = z
  .object({
    name: name.optional(),
    phone: phone.nullable().optional(),
    email: z.undefined({ message: 'Email cannot be changed here' }).optional().meta(refused),
    password: z.undefined({ message: 'Password cannot be changed here' }).optional().meta(refused),
  })
  .refine((b) => b.name !== undefined || b.phone !== undefined, {
    message: 'Give a name or a phone to change',
  });

export const changePasswordBody = z.object({
  currentPassword: z
    .string({ message: 'Current password is required' })
    .min(1, 'Current password is required')
    .max(1024, 'Current password is wrong'),
  newPassword: password,
});

export const resetRequestBody = z.object({ email });

export const resetConfirmBody = z.object({
  token: z
    .string({ message: 'Token is required' })
    .min(1, 'Token is required')
    .max(200, 'This reset link is invalid, used or expired'),
  password,
});

/** `reason` of POST /api/users/:id/suspension: shown to the user, so kept short and plain. */
export const suspensionBody = z.object({
  reason: z
    .string({ message: 'Reason is required' })
    .trim()
    .min(1, 'Reason is required')
    .max(500, 'Reason must be at most 500 characters'),
});

/** `GET /api/users?email=`: an administrator looks one user up by email. */
export const userLookupQuery = z.object({ email });

/** What the API shows of a user: never the password hash. */
export const publicUserSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    phone: z.string().nullable().meta({ description: 'E.164, or null' }),
    roles: z.array(z.string()).meta({
      description: '`["admin"]` for the administrators named in ADMIN_EMAILS, else `[]`',
    }),
    suspended: z.boolean(),
  })
  .meta({ id: 'User' });

export type PublicUser = z.infer<typeof publicUserSchema>;

export const toPublicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  phone: u.phone,
  roles: u.admin ? ['admin'] : [],
  suspended: u.suspendedAt !== null,
});

/** What an administrator sees of a user: the public user and, while suspended, why and since when. */
export const adminUserViewSchema = publicUserSchema
  .extend({
    suspension: z
      .object({ reason: z.string(), since: z.iso.datetime() })
      .nullable()
      .meta({ description: 'Why and since when the user is suspended; null when not' }),
  })
  .meta({ id: 'AdminUser' });

export type AdminUserView = z.infer<typeof adminUserViewSchema>;

/** The answer of `GET /api/users/currentuser`: null when signed out (or suspended). */
export const currentUserAnswerSchema = z
  .object({ currentUser: publicUserSchema.nullable() })
  .meta({ id: 'CurrentUser' });

export const toAdminUserView = (u: UserRecord): AdminUserView => ({
  ...toPublicUser(u),
  suspension: u.suspendedAt
    ? { reason: u.suspensionReason ?? '', since: u.suspendedAt.toISOString() }
    : null,
});
