import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  type ResponseConfig,
} from '@asteasolutions/zod-to-openapi';
import { Router } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE } from '../session/session-token.js';
import { UUID_PATTERN } from './validate.js';

export type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';

/**
 * One service's part of the HTTP API's description: it registers each operation its router
 * serves (`api.registerPath`) with the zod schemas that route validates its input with and
 * answers with. Each service keeps its own next to its routes (`routes/*-api-docs.ts`) and
 * hands it over as `Service.api`; `buildOpenApiDocument` joins them into one document.
 */
export type ApiDescription = (api: OpenAPIRegistry) => void;

/** The OpenAPI 3.1 document `buildOpenApiDocument` returns (a plain JSON-able object). */
export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

/** API.md's error shape, which every 4xx and 5xx answers with. */
export const errorsSchema = z
  .object({
    errors: z
      .array(
        z.object({
          message: z.string().meta({ description: 'What went wrong, for a person to read' }),
          field: z.string().optional().meta({
            description: 'The invalid input field (dotted path), on validation errors only',
          }),
        }),
      )
      .min(1),
  })
  .meta({
    id: 'Errors',
    description:
      'Every 4xx and 5xx answer: one entry per problem; a 400 has one entry per invalid field. A 5xx never shows its cause.',
  });

/** The statuses API.md gives a meaning to, and that meaning. */
const ERROR_MEANINGS = {
  400: 'Invalid input: one entry per invalid field, `field` naming it',
  401: 'Not signed in (no session, or an invalid, expired or revoked one)',
  402: 'Payment declined',
  403: 'Signed in but not allowed',
  404: 'Unknown resource (a malformed id in the path is also a 404)',
  409: 'The resource is in a state that does not allow this',
  429: 'Too many requests: `Retry-After` says in how many seconds to try again',
} as const;

export type ErrorStatus = keyof typeof ERROR_MEANINGS;

const json = (schema: z.ZodType) => ({ 'application/json': { schema } });

/**
 * A JSON response for an operation's `responses`: `ok(201, userSchema, 'The new user')`
 * gives `{201: {description, content}}`.
 */
export function jsonResponse(
  status: number,
  schema: z.ZodType,
  description: string,
): Record<number, ResponseConfig> {
  return { [status]: { description, content: json(schema) } };
}

/**
 * The error responses of an operation, each in API.md's error shape: `true` takes API.md's
 * general meaning of the status, a string says what it means for this operation. A `default`
 * response covers what any route may answer (413 body too large, 415 not JSON, 403 a
 * cross-site request, 503 a dependency unavailable).
 */
export function errorResponses(
  statuses: Partial<Record<ErrorStatus, true | string>>,
): Record<string, ResponseConfig> {
  const responses: Record<string, ResponseConfig> = {};
  for (const [status, meaning] of Object.entries(statuses)) {
    const general = ERROR_MEANINGS[Number(status) as ErrorStatus];
    responses[status] = {
      description: meaning === true ? general : meaning,
      content: json(errorsSchema),
    };
  }
  responses.default = {
    description:
      'Any other error, in the same shape: 413 body over 100 kB, 415 a body that is not JSON in UTF-8, 403 a state-changing request from another site, 503 a dependency unavailable (with `Retry-After`)',
    content: json(errorsSchema),
  };
  return responses;
}

/** `security` of an operation that needs a session: the cookie or the same JWT as a Bearer token. */
export const SIGNED_IN: Record<string, string[]>[] = [{ sessionCookie: [] }, { bearerToken: [] }];

/** `security` of an operation that answers anyone, and answers a signed-in caller as them. */
export const SIGNED_IN_OR_NOT: Record<string, string[]>[] = [{}, ...SIGNED_IN];

/** The `{id}` of a path: one of the API's ids (anything else is a 404, as `parseId` answers). */
export const idPathParams = (what: string) =>
  z.object({
    id: z
      .string()
      .regex(UUID_PATTERN)
      .meta({ description: `The ${what}'s id`, example: '0b6f1c52-7f1e-4c1a-9d7b-2f0e8f3a5c11' }),
  });

/** The `{}` that sign-out and a password-reset request answer with. */
export const emptyObjectSchema = z.object({}).meta({ id: 'Empty' });

/**
 * The OpenAPI 3.1 document of the services whose descriptions are given: their operations in
 * the order given (the reference page shows them so), components sorted by name.
 */
export function buildOpenApiDocument(descriptions: readonly ApiDescription[]): OpenApiDocument {
  const api = new OpenAPIRegistry();
  api.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: SESSION_COOKIE,
    description:
      'The httpOnly cookie that sign-up, sign-in and a password reset set: a JWT (HS256) with an expiry',
  });
  api.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The same JWT as the session cookie, as `Authorization: Bearer <jwt>`',
  });
  for (const describe of descriptions) describe(api);
  return new OpenApiGeneratorV31(api.definitions, {
    sortComponents: 'alphabetically',
  }).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Ticketing',
      version: '2',
      description:
        'The public HTTP API of the ticket marketplace: every route under one origin, JSON bodies, ' +
        'errors as `{"errors":[{"message","field"?}]}`. Prices are numbers in currency units with at ' +
        'most 2 decimals; times are ISO-8601 in UTC; ids are opaque strings. A state-changing ' +
        'request from another site is refused (403), as is a body that is not JSON (415). ' +
        'docs/API.md in the repository is the prose contract this document describes.',
    },
    servers: [{ url: '/', description: 'The origin that serves this document' }],
  });
}

/**
 * `GET /api/openapi.json`: the document of `services` (each one's `api`), built at the first
 * request and kept. For a host that holds the services (the embedded app).
 */
export function openApiRouter(services: readonly { api?: ApiDescription }[]): Router {
  let body: string | undefined;
  return Router().get('/api/openapi.json', (_req, res) => {
    body ??= JSON.stringify(buildOpenApiDocument(services.flatMap((s) => (s.api ? [s.api] : []))));
    res.type('application/json').send(body);
  });
}
