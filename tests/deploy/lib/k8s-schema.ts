import * as models from 'kubernetes-models';
import { isObject, type Json, type JsonObject, type Resource } from './resources.js';

type ModelClass = new (data: unknown) => { validate(): void };

/** `networking.k8s.io/v1` → kubernetes-models' `networkingK8sIo.v1`; `v1` → the core group. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const groupKey = group
    ? group.replace(/\.([a-z])/g, (_m, c: string) => c.toUpperCase())
    : undefined;
  const root = models as unknown as Record<string, Record<string, unknown>>;
  const versions = groupKey ? root[groupKey] : root;
  const inVersion = versions?.[version!] as Record<string, unknown> | undefined;
  return inVersion?.[kind] as ModelClass | undefined;
}

/** The schema's complaint about a resource, or undefined when it is valid. */
function schemaError(Model: ModelClass, data: JsonObject): string | undefined {
  try {
    new Model(data).validate();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Problems of one resource against the Kubernetes API schemas bundled in kubernetes-models:
 * an unknown apiVersion/kind, the schema's own errors (types, required fields, enums), and any
 * field the schema does not know. The schemas accept unknown fields (as the API server does,
 * dropping them), so a typo such as `readinesProbe` would pass them; each field is therefore
 * probed: replaced by a value no schema accepts, the resource must stop validating.
 */
export function validateResource(resource: Resource): string[] {
  const Model = modelFor(resource.apiVersion, resource.kind);
  if (!Model) return [`${resource.apiVersion} ${resource.kind} is not a known Kubernetes kind`];
  const error = schemaError(Model, resource);
  if (error) return [error];

  const unknown: string[] = [];
  const probe = (value: Json, path: (string | number)[]) => {
    if (Array.isArray(value)) value.forEach((item, i) => probe(item, [...path, i]));
    else if (isObject(value)) {
      for (const [key, child] of Object.entries(value)) {
        const copy = structuredClone(resource) as JsonObject;
        setAt(copy, [...path, key], NOT_JSON);
        if (!schemaError(Model, copy)) unknown.push(`unknown field ${[...path, key].join('.')}`);
        else probe(child, [...path, key]);
      }
    }
  };
  probe(resource, []);
  return unknown;
}

/** Accepted by no JSON schema type (string, number, integer, boolean, object, array, null). */
const NOT_JSON = Symbol('not JSON') as unknown as Json;

function setAt(target: JsonObject, path: (string | number)[], value: Json): void {
  let node: Json = target;
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, Json>)[key]!;
  (node as Record<string | number, Json>)[path[path.length - 1]!] = value;
}
