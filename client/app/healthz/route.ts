/**
 * Liveness of the storefront's server for probes and the image's HEALTHCHECK: 200
 * `{"status":"ok"}` when the storefront server answers. It calls nothing else, so a slow or stopped API
 * does not make the orchestrator restart a storefront that is itself fine.
 */
export const dynamic = 'force-dynamic';

export function GET(): Response {
  return Response.json({ status: 'ok' }, { headers: { 'cache-control': 'no-store' } });
}
