import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

/**
 * The subset of kustomize that our overlays use, so that they can be rendered and checked
 * without the kustomize binary. Anything outside the subset is an error, never silently
 * ignored, so an overlay cannot drift beyond what the tests understand.
 *
 * Supported kustomization.yaml fields:
 * - `resources`: YAML files (one or more documents each) and folders holding a kustomization
 *   (rendered first, recursively, as kustomize does with bases).
 * - `patches`: from `path` or inline `patch`; a strategic merge patch (a resource-shaped
 *   document) or a JSON 6902 patch (a list of add/replace/remove operations, which needs a
 *   `target`). Without a target, a strategic merge patch applies to the resource of its kind and
 *   name; with one, to every resource the target selects (kind, name, group, version,
 *   labelSelector of `key=value` pairs).
 * - `replicas`: `name` and `count`, for Deployments and StatefulSets.
 * - `images`: `name` with `newName`, `newTag` and/or `digest`, for the containers and init
 *   containers of any pod template.
 *
 * Strategic merge: maps merge key by key (`null` deletes a key); lists merge by the key
 * Kubernetes declares for them (containers, initContainers, env, volumes, imagePullSecrets by
 * `name`; volumeMounts by `mountPath`; container ports by `containerPort`, Service ports by
 * `port`), the patch's elements first and then the base's others, as kustomize orders them;
 * other lists are replaced. `$patch: delete` removes a map or a list element and
 * `$patch: replace` replaces a map instead of merging it.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export interface Resource extends JsonObject {
  apiVersion: string;
  kind: string;
  metadata: JsonObject & { name: string };
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];
const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'resources',
  'patches',
  'replicas',
  'images',
]);
const SCALABLE_KINDS = new Set(['Deployment', 'StatefulSet', 'ReplicaSet']);

/** Every YAML document of a file, as plain data; empty documents are skipped. */
export function readYamlDocuments(file: string): Json[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'), { prettyErrors: true });
  const values: Json[] = [];
  for (const doc of docs) {
    if (doc.errors.length)
      throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as Json;
    if (value !== null && value !== undefined) values.push(value);
  }
  return values;
}

export function kustomizationFile(dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map((name) => join(dir, name)).find((file) => existsSync(file));
}

/** Renders the kustomization in `dir`, as `kustomize build dir` would (within the subset). */
export function renderKustomization(dir: string): Resource[] {
  const file = kustomizationFile(dir);
  if (!file) throw new Error(`${dir}: no kustomization.yaml`);
  const [k, ...rest] = readYamlDocuments(file);
  if (!isObject(k) || rest.length) throw new Error(`${file}: expected one mapping`);
  for (const field of Object.keys(k)) {
    if (!SUPPORTED_FIELDS.has(field)) {
      throw new Error(`${file}: "${field}" is outside the kustomize subset the tests render`);
    }
  }

  const resources: Resource[] = [];
  for (const entry of asList(k.resources, `${file}: resources`)) {
    if (typeof entry !== 'string') throw new Error(`${file}: a resource must be a path`);
    const path = resolve(dir, entry);
    if (!existsSync(path)) throw new Error(`${file}: resource ${entry} does not exist`);
    const found = statSync(path).isDirectory()
      ? renderKustomization(path)
      : readYamlDocuments(path).map((doc) => asResource(doc, path));
    for (const resource of found) {
      if (resources.some((r) => sameResource(r, resource))) {
        throw new Error(`${file}: ${resourceName(resource)} is declared twice`);
      }
      resources.push(resource);
    }
  }

  for (const [index, entry] of asList(k.patches, `${file}: patches`).entries()) {
    if (!isObject(entry)) throw new Error(`${file}: patches[${index}] must be a mapping`);
    applyPatchEntry(resources, entry, dir, `${file}: patches[${index}]`);
  }

  for (const entry of asList(k.images, `${file}: images`)) {
    if (!isObject(entry) || typeof entry.name !== 'string') {
      throw new Error(`${file}: an images entry needs a name`);
    }
    setImage(resources, entry);
  }

  for (const entry of asList(k.replicas, `${file}: replicas`)) {
    if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.count !== 'number') {
      throw new Error(`${file}: a replicas entry needs a name and a count`);
    }
    const targets = resources.filter(
      (r) => SCALABLE_KINDS.has(r.kind) && r.metadata.name === entry.name,
    );
    if (!targets.length) throw new Error(`${file}: replicas: no workload named ${entry.name}`);
    for (const target of targets) (target.spec as JsonObject).replicas = entry.count;
  }
  return resources;
}

function applyPatchEntry(resources: Resource[], entry: JsonObject, dir: string, where: string) {
  for (const field of Object.keys(entry)) {
    if (!['path', 'patch', 'target'].includes(field)) {
      throw new Error(`${where}: "${field}" is outside the subset`);
    }
  }
  let docs: Json[];
  if (typeof entry.path === 'string') {
    docs = readYamlDocuments(resolve(dir, entry.path));
  } else if (typeof entry.patch === 'string') {
    docs = parseAllDocuments(entry.patch).map((d) => d.toJS() as Json);
  } else {
    throw new Error(`${where}: needs a path or a patch`);
  }
  const target = entry.target === undefined ? undefined : entry.target;
  if (target !== undefined && !isObject(target)) throw new Error(`${where}: bad target`);

  for (const doc of docs) {
    if (Array.isArray(doc)) {
      if (!target) throw new Error(`${where}: a JSON 6902 patch needs a target`);
      const selected = select(resources, target, where);
      for (const resource of selected) applyJson6902(resource, doc, where);
      continue;
    }
    const patch = asResource(doc, where);
    const selected = target
      ? select(resources, target, where)
      : resources.filter((r) => sameResource(r, patch));
    if (!selected.length) throw new Error(`${where}: ${resourceName(patch)} matches no resource`);
    for (const resource of selected) {
      // A targeted patch names no resource of its own: only its body applies.
      const { apiVersion: _v, kind: _k, metadata: _m, ...body } = patch;
      const merged = strategicMerge(resource, target ? body : patch, []);
      replaceContents(resource, merged as JsonObject);
    }
  }
}

/** The resources a patch target selects. */
function select(resources: Resource[], target: JsonObject, where: string): Resource[] {
  for (const field of Object.keys(target)) {
    if (!['group', 'version', 'kind', 'name', 'labelSelector'].includes(field)) {
      throw new Error(`${where}: target.${field} is outside the subset`);
    }
  }
  const labels = parseLabelSelector(target.labelSelector, where);
  const selected = resources.filter((r) => {
    const [group, version] = splitApiVersion(r.apiVersion);
    if (target.kind !== undefined && r.kind !== target.kind) return false;
    if (target.name !== undefined && r.metadata.name !== target.name) return false;
    if (target.group !== undefined && group !== target.group) return false;
    if (target.version !== undefined && version !== target.version) return false;
    const own = (r.metadata.labels ?? {}) as JsonObject;
    return Object.entries(labels).every(([key, value]) => own[key] === value);
  });
  if (!selected.length) throw new Error(`${where}: the target selects no resource`);
  return selected;
}

function parseLabelSelector(selector: Json | undefined, where: string): Record<string, string> {
  if (selector === undefined) return {};
  if (typeof selector !== 'string') throw new Error(`${where}: labelSelector must be a string`);
  const pairs: Record<string, string> = {};
  for (const part of selector.split(',')) {
    const match = /^\s*([^=!\s]+)\s*==?\s*([^=\s]*)\s*$/.exec(part);
    if (!match) throw new Error(`${where}: only key=value label selectors are supported`);
    pairs[match[1]!] = match[2]!;
  }
  return pairs;
}

/** Kubernetes' patch merge keys, by the name of the list and (for ports) where it is. */
function mergeKeyFor(path: string[]): string | undefined {
  const field = path[path.length - 1];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports':
      return path.some((p) => p === 'containers' || p === 'initContainers')
        ? 'containerPort'
        : 'port';
    default:
      return undefined;
  }
}

/** A strategic merge patch of `patch` onto `base`; returns the result, `base` is not changed. */
export function strategicMerge(base: Json | undefined, patch: Json, path: string[]): Json {
  if (isObject(patch)) {
    const directive = patch.$patch;
    if (directive === 'replace') return withoutDirectives(patch);
    if (directive !== undefined && directive !== 'merge') {
      throw new Error(`$patch: ${String(directive)} at ${path.join('.')} is outside the subset`);
    }
    const result: JsonObject = isObject(base) ? { ...base } : {};
    for (const [key, value] of Object.entries(patch)) {
      if (key === '$patch') continue;
      if (key.startsWith('$')) throw new Error(`${key} at ${path.join('.')} is outside the subset`);
      if (value === null) {
        delete result[key];
      } else if (isObject(value) && value.$patch === 'delete') {
        delete result[key];
      } else {
        result[key] = strategicMerge(result[key], value, [...path, key]);
      }
    }
    return result;
  }
  if (Array.isArray(patch)) {
    const key = mergeKeyFor(path);
    if (!key || !Array.isArray(base)) return patch.map((item) => withoutDirectives(item));
    // As kustomize orders them: the patch's elements first, in its order (merged with the base
    // element of the same key, if any), then the base's other elements, in theirs. So a patched
    // env var moves ahead of the ones it might reference with $(VAR).
    const patched: Json[] = [];
    const touched = new Set<Json>();
    for (const item of patch) {
      if (!isObject(item) || item[key] === undefined) {
        throw new Error(`an element of ${path.join('.')} lacks its merge key ${key}`);
      }
      touched.add(item[key]!);
      const existing = base.find((e) => isObject(e) && e[key] === item[key]);
      if (item.$patch === 'delete') continue;
      patched.push(
        existing === undefined ? withoutDirectives(item) : strategicMerge(existing, item, path),
      );
    }
    const rest = base.filter((e) => !(isObject(e) && touched.has(e[key]!)));
    return [...patched, ...rest];
  }
  return patch;
}

function withoutDirectives(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutDirectives);
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== '$patch')
      .map(([key, v]) => [key, withoutDirectives(v)]),
  );
}

/** JSON 6902 add, replace and remove, with JSON pointers (`-` appends to a list). */
function applyJson6902(resource: Resource, ops: Json[], where: string): void {
  for (const op of ops) {
    if (!isObject(op) || typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new Error(`${where}: bad JSON 6902 operation`);
    }
    if (!['add', 'replace', 'remove'].includes(op.op)) {
      throw new Error(`${where}: JSON 6902 "${op.op}" is outside the subset`);
    }
    const tokens = op.path
      .split('/')
      .slice(1)
      .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = tokens.pop();
    if (last === undefined) throw new Error(`${where}: cannot patch the whole document`);
    let parent: Json = resource;
    for (const token of tokens) {
      parent = Array.isArray(parent)
        ? (parent[Number(token)] as Json)
        : isObject(parent)
          ? (parent[token] as Json)
          : null;
      if (parent === undefined || parent === null) {
        throw new Error(`${where}: ${op.path} does not exist in ${resourceName(resource)}`);
      }
    }
    if (Array.isArray(parent)) {
      const index = last === '-' ? parent.length : Number(last);
      if (op.op === 'add') parent.splice(index, 0, op.value as Json);
      else if (op.op === 'replace') parent[index] = op.value as Json;
      else parent.splice(index, 1);
    } else if (isObject(parent)) {
      if (op.op !== 'add' && !(last in parent)) {
        throw new Error(`${where}: ${op.path} does not exist in ${resourceName(resource)}`);
      }
      if (op.op === 'remove') delete parent[last];
      else parent[last] = op.value as Json;
    }
  }
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

function setImage(resources: Resource[], entry: JsonObject): void {
  for (const resource of resources) {
    for (const spec of podSpecs(resource)) {
      for (const list of [spec.containers, spec.initContainers]) {
        for (const container of (list ?? []) as JsonObject[]) {
          const image = parseImage(String(container.image));
          if (image.name !== entry.name) continue;
          const name = typeof entry.newName === 'string' ? entry.newName : image.name;
          const digest = typeof entry.digest === 'string' ? entry.digest : undefined;
          const tag =
            entry.newTag !== undefined && entry.newTag !== null ? String(entry.newTag) : image.tag;
          container.image = digest
            ? `${name}@${digest}`
            : `${name}${tag ? `:${tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
        }
      }
    }
  }
}

function asResource(doc: Json, where: string): Resource {
  if (
    !isObject(doc) ||
    typeof doc.apiVersion !== 'string' ||
    typeof doc.kind !== 'string' ||
    !isObject(doc.metadata) ||
    typeof doc.metadata.name !== 'string'
  ) {
    throw new Error(`${where}: every document needs apiVersion, kind and metadata.name`);
  }
  return doc as Resource;
}

function splitApiVersion(apiVersion: string): [group: string, version: string] {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? ['', apiVersion] : [apiVersion.slice(0, slash), apiVersion.slice(slash + 1)];
}

function sameResource(a: Resource, b: Resource): boolean {
  return (
    a.kind === b.kind &&
    a.metadata.name === b.metadata.name &&
    splitApiVersion(a.apiVersion)[0] === splitApiVersion(b.apiVersion)[0] &&
    (a.metadata.namespace ?? '') === (b.metadata.namespace ?? '')
  );
}

export function resourceName(resource: { kind: string; metadata: { name: string } }): string {
  return `${resource.kind}/${resource.metadata.name}`;
}

function replaceContents(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(target)) delete target[key];
  Object.assign(target, source);
}

function asList(value: Json | undefined, where: string): Json[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new Error(`${where} must be a list`);
  return value;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
