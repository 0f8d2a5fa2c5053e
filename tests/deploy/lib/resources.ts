import { execFileSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** Kubernetes resources as plain data, as `kubectl kustomize` renders them. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Resource extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string };
}

/**
 * Renders the kustomization in `dir` with the real kustomize (`kubectl kustomize`, kubectl
 * 1.27 or later; 1.32 with kustomize 5.5 on the CI machines): every resource, parsed.
 */
export function renderKustomization(dir: string): Resource[] {
  const yaml = execFileSync('kubectl', ['kustomize', dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return parseAllDocuments(yaml)
    .map((doc) => {
      if (doc.errors.length)
        throw new Error(`${dir}: ${doc.errors.map((e) => e.message).join('; ')}`);
      return doc.toJS() as Resource | null;
    })
    .filter((r): r is Resource => r !== null);
}

/** The pod specs of a workload, wherever its kind keeps them. */
export function podSpecs(resource: JsonObject): JsonObject[] {
  const spec = resource.spec as JsonObject | undefined;
  if (!spec) return [];
  if (resource.kind === 'Pod') return [spec];
  if (resource.kind === 'CronJob') {
    const job = (spec.jobTemplate as JsonObject | undefined)?.spec as JsonObject | undefined;
    const template = job?.template as JsonObject | undefined;
    return template?.spec ? [template.spec as JsonObject] : [];
  }
  const template = spec.template as JsonObject | undefined;
  return template?.spec ? [template.spec as JsonObject] : [];
}

/** Splits `registry:5000/name:tag@sha256:...` into its name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [rest, digest] = image.split('@') as [string, string | undefined];
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), digest };
  return { name: rest, digest };
}

export function resourceName(resource: { kind: string; metadata: { name: string } }): string {
  return `${resource.kind}/${resource.metadata.name}`;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
