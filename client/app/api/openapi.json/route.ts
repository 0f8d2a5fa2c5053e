import document from '@/lib/openapi.json';

/**
 * The OpenAPI document of the HTTP API, where no host holds the services to build it (the
 * ingress and the local gateway route this one API path here): the repository's copy, which
 * `npm run openapi` writes from the services' descriptions and a test keeps current. The
 * embedded app answers this path itself, from the services it runs, and never asks the
 * storefront (docs/decisions/0030-openapi-document.md).
 */
export const dynamic = 'force-static';

export function GET(): Response {
  return Response.json(document, { headers: { 'cache-control': 'public, max-age=300' } });
}
