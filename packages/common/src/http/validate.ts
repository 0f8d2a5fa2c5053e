import { z } from 'zod';
import { NotFoundError, ValidationError, type ErrorItem } from '../errors/http-errors.js';

/**
 * Parses a request body or query against its schema, or throws a 400 with one entry per invalid
 * field (the first problem of each), as API.md's error shape asks.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const byField = new Map<string, ErrorItem>();
  for (const issue of result.error.issues) {
    const field = issue.path.join('.');
    if (!byField.has(field))
      byField.set(field, field ? { message: issue.message, field } : { message: issue.message });
  }
  throw new ValidationError([...byField.values()]);
}

/**
 * For a cross-field `.refine` on an object: run it only once every field has parsed. Zod 4 runs
 * an object's refinements even after a field's own refinement failed, handing them that field
 * untransformed (a string where a Date was meant: `from.getTime is not a function`, a 500).
 *
 *   z.object({ from, to }).refine((q) => q.from <= q.to, { message, when: whenFieldsValid })
 */
export const whenFieldsValid = (payload: { issues: readonly unknown[] }): boolean =>
  payload.issues.length === 0;

/**
 * The API's ids: the loose 8-4-4-4-12 hexadecimal shape, any case. Without flags, so that the
 * OpenAPI document can carry it as a `pattern`.
 */
export const UUID_PATTERN =
  /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A path id: anything that is not one of ours cannot name a resource, so it is a 404. */
export function parseId(value: unknown, what = 'Resource'): string {
  if (typeof value !== 'string' || !UUID_PATTERN.test(value))
    throw new NotFoundError(`${what} not found`);
  return value.toLowerCase();
}
