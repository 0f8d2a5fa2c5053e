import { z } from 'zod';
import type { UserRecord } from '../data/user-repository.js';

const email = z
  .string({ message: 'Email is required' })
  .trim()
  .max(254, 'Email must be at most 254 characters')
  .pipe(z.email({ message: 'Email must be a valid email address' }));

const name = z
  .string({ message: 'Name is required' })
  .trim()
  .min(1, 'Name is required')
  .max(100, 'Name must be at most 100 characters');

/** E.164: a plus sign and up to 15 digits, no leading zero. */
const phone = z
  .string({ message: 'Phone must be a string' })
  .trim()
  .regex(/^\+[1-9]\d{1,14}$/, 'Phone must be in E.164 format, e.g. +14155550123');

export const signUpBody = z.object({
  email,
  password: z
    .string({ message: 'Password is required' })
    .min(8, 'Password must be 8 to 128 characters')
    .max(128, 'Password must be 8 to 128 characters'),
  name,
  phone: phone.optional(),
});

export const signInBody = z.object({
  email: z.string({ message: 'Email is required' }).trim().min(1, 'Email is required'),
  password: z.string({ message: 'Password is required' }).min(1, 'Password is required'),
});

/** `phone: null` removes the phone number. Email and password are refused by name. */
export const updateProfileBody = z
  .object({
    name: name.optional(),
    phone: phone.nullable().optional(),
    email: z.undefined({ message: 'Email cannot be changed here' }).optional(),
    password: z.undefined({ message: 'Password cannot be changed here' }).optional(),
  })
  .refine((b) => b.name !== undefined || b.phone !== undefined, {
    message: 'Give a name or a phone to change',
  });

/** What the API shows of a user: never the password hash. */
export interface PublicUser {
  id: string;
  email: string;
  name: string;
  phone: string | null;
}

export const toPublicUser = (u: UserRecord): PublicUser => ({
  id: u.id,
  email: u.email,
  name: u.name,
  phone: u.phone,
});
