import { z } from 'zod';

/** Raised at start-up when an environment variable is missing or malformed. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * Reads and validates environment variables against a schema whose keys are the variable names.
 * Every problem is reported at once, each naming its variable, so a misconfigured process stops
 * before it serves anything.
 */
export function loadConfig<S extends z.ZodRawShape>(
  shape: S,
  env: NodeJS.ProcessEnv = process.env,
): z.infer<z.ZodObject<S>> {
  // An empty variable counts as unset, which is what `FOO= node app` means to most people.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const result = z.object(shape).safeParse(present);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? '(environment)');
      const description = (shape[name] as z.ZodType | undefined)?.description;
      const missing = present[name] === undefined;
      return `${name}${description ? ` (${description})` : ''}: ${missing ? 'is required' : issue.message}`;
    }),
  );
}

/**
 * `loadConfig` for a process's entry point: a bad setting ends the process (exit code 1) with the
 * message naming each variable on stderr, prefixed by `name` when given, not with a stack trace.
 */
export function loadConfigOrExit<S extends z.ZodRawShape>(
  shape: S,
  name?: string,
): z.infer<z.ZodObject<S>> {
  try {
    return loadConfig(shape);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(name ? `${name}: ${error.message}` : error.message);
    process.exit(1);
  }
}

/** Building blocks for the variables every service reads. */
export const envVar = {
  port: (fallback: number) =>
    z.coerce.number().int().min(0).max(65535).default(fallback).describe('TCP port to listen on'),
  boolean: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'expected true or false' })
      .default(fallback ? 'true' : 'false')
      .transform((v) => v === 'true' || v === '1' || v === 'yes'),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  url: (protocols: string[]) =>
    z
      .string()
      .url()
      .refine((v) => protocols.some((p) => v.startsWith(`${p}:`)), {
        message: `expected a ${protocols.join(' or ')} URL`,
      }),
  /** A secret shared by every service that checks sessions; short keys make HS256 guessable. */
  jwtKey: () =>
    z
      .string({ message: 'is required' })
      .min(32, 'must be at least 32 characters')
      .describe('secret that signs session tokens (HS256)'),
};

/**
 * Express's `trust proxy` from an environment string: `true`/`false`, a hop count (`1`: trust
 * the one proxy in front, e.g. the ingress), or addresses and names (`loopback, 10.0.0.0/8`).
 */
export function parseTrustProxy(value: string): boolean | number | string {
  const v = value.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^\d+$/.test(v)) return Number(v);
  return v;
}
