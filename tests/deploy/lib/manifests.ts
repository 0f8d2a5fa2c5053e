import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  isObject,
  parseImage,
  podSpecs,
  renderKustomization,
  type Json,
  type JsonObject,
  type Resource,
} from './resources.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));

export const KUSTOMIZATIONS = {
  base: 'deploy/base',
  dev: 'deploy/overlays/dev',
  production: 'deploy/overlays/production',
} as const;
export type KustomizationName = keyof typeof KUSTOMIZATIONS;
/**
 * The stack `podman kube play` runs (tests/containers): Deployments and ConfigMaps only, two of
 * each workload, plus the gateway. Checked apart from the cluster kustomizations.
 */
export const PODMAN_OVERLAY = 'deploy/overlays/podman';

const renders = new Map<string, Resource[]>();
/** The rendered resources of a kustomization (rendered once per test file). */
export function rendered(name: KustomizationName | 'podman'): Resource[] {
  let resources = renders.get(name);
  if (!resources) {
    resources = renderKustomization(
      join(REPO, name === 'podman' ? PODMAN_OVERLAY : KUSTOMIZATIONS[name]),
    );
    renders.set(name, resources);
  }
  return structuredClone(resources);
}

export const ofKind = (resources: Resource[], kind: string): Resource[] =>
  resources.filter((r) => r.kind === kind);

export function find(resources: Resource[], kind: string, name: string): Resource | undefined {
  return resources.find((r) => r.kind === kind && r.metadata.name === name);
}

// ---- skaffold ----------------------------------------------------------------------------------

export interface SkaffoldArtifact {
  image: string;
  context: string;
  dockerfile: string;
  target?: string;
  buildArgs: Record<string, string>;
  sync: { src: string; dest: string; strip?: string }[];
}

export interface SkaffoldConfig {
  raw: JsonObject;
  artifacts: SkaffoldArtifact[];
  kustomizePaths: string[];
  profiles: JsonObject[];
}

export function artifactsOf(config: JsonObject): SkaffoldArtifact[] {
  const build = config.build as JsonObject;
  return (build.artifacts as JsonObject[]).map((a) => {
    const docker = (a.docker ?? {}) as JsonObject;
    const manual = ((a.sync as JsonObject | undefined)?.manual ?? []) as JsonObject[];
    return {
      image: String(a.image),
      context: String(a.context ?? '.'),
      dockerfile: String(docker.dockerfile ?? 'Dockerfile'),
      target: docker.target === undefined ? undefined : String(docker.target),
      buildArgs: Object.fromEntries(
        Object.entries((docker.buildArgs ?? {}) as JsonObject).map(([k, v]) => [k, String(v)]),
      ),
      sync: manual.map((rule) => ({
        src: String(rule.src),
        dest: String(rule.dest),
        strip: rule.strip === undefined ? undefined : String(rule.strip),
      })),
    };
  });
}

export function loadSkaffold(): SkaffoldConfig {
  const raw = parse(readFileSync(join(REPO, 'skaffold.yaml'), 'utf8')) as JsonObject;
  const manifests = raw.manifests as JsonObject | undefined;
  const kustomize = manifests?.kustomize as JsonObject | undefined;
  return {
    raw,
    artifacts: artifactsOf(raw),
    kustomizePaths: ((kustomize?.paths ?? []) as string[]).map(String),
    profiles: (raw.profiles ?? []) as JsonObject[],
  };
}

/** The workload an image of ours belongs to: `ticketing/auth` → `auth`. */
export function workloadOfImage(image: string): string | undefined {
  return /^ticketing\/([a-z-]+)$/.exec(parseImage(image).name)?.[1];
}

/** The application container of a workload (the one running one of our images). */
export function appContainer(resource: Resource): JsonObject {
  const [spec] = podSpecs(resource);
  const containers = (spec?.containers ?? []) as JsonObject[];
  const container = containers.find((c) => workloadOfImage(String(c.image))) ?? containers[0];
  if (!container) throw new Error(`${resource.kind}/${resource.metadata.name} has no container`);
  return container;
}

// ---- environment -------------------------------------------------------------------------------

export interface SecretRef {
  name: string;
  key: string;
  optional: boolean;
}

export interface ResolvedEnv {
  /** Variable → value, as the container would see it (secrets stand in as placeholders). */
  env: Record<string, string>;
  /** Variables set by an env entry (not envFrom), in order. */
  declared: string[];
  /** Variables that come from envFrom. */
  fromConfigMaps: string[];
  secrets: SecretRef[];
  problems: string[];
}

/**
 * A container's environment as the kubelet builds it: envFrom first, then each env entry in
 * order, where `$(VAR)` expands only variables defined before it. Secret values are asked of
 * `secretValue` (undefined: an optional secret that is absent, so the variable is unset).
 */
export function resolveEnv(
  container: JsonObject,
  resources: Resource[],
  secretValue: (variable: string, ref: SecretRef) => string | undefined,
): ResolvedEnv {
  const env: Record<string, string> = {};
  const declared: string[] = [];
  const fromConfigMaps: string[] = [];
  const secrets: SecretRef[] = [];
  const problems: string[] = [];
  const configMap = (name: string) =>
    find(resources, 'ConfigMap', name)?.data as JsonObject | undefined;

  for (const source of (container.envFrom ?? []) as JsonObject[]) {
    const ref = source.configMapRef as JsonObject | undefined;
    if (!ref) {
      problems.push(`envFrom other than configMapRef: ${JSON.stringify(source)}`);
      continue;
    }
    const data = configMap(String(ref.name));
    if (!data) {
      if (!ref.optional) problems.push(`envFrom: ConfigMap ${String(ref.name)} does not exist`);
      continue;
    }
    for (const [key, value] of Object.entries(data)) {
      env[key] = String(value);
      fromConfigMaps.push(key);
    }
  }

  for (const entry of (container.env ?? []) as JsonObject[]) {
    const name = String(entry.name);
    declared.push(name);
    if (typeof entry.value === 'string') {
      env[name] = entry.value.replace(
        /\$\$|\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g,
        (match, ref?: string) => {
          if (!ref) return '$';
          if (env[ref] === undefined) {
            problems.push(`${name} refers to $(${ref}), which is not defined before it`);
            return match;
          }
          return env[ref];
        },
      );
      continue;
    }
    const from = entry.valueFrom as JsonObject | undefined;
    if (from?.secretKeyRef) {
      const ref = from.secretKeyRef as JsonObject;
      const secret = {
        name: String(ref.name),
        key: String(ref.key),
        optional: ref.optional === true,
      };
      secrets.push(secret);
      const value = secretValue(name, secret);
      if (value !== undefined) env[name] = value;
    } else if (from?.configMapKeyRef) {
      const ref = from.configMapKeyRef as JsonObject;
      const value = configMap(String(ref.name))?.[String(ref.key)];
      if (value === undefined) {
        if (ref.optional !== true) {
          problems.push(`${name}: ConfigMap ${String(ref.name)} has no key ${String(ref.key)}`);
        }
      } else env[name] = String(value);
    } else if (from?.fieldRef) {
      env[name] = `field:${String((from.fieldRef as JsonObject).fieldPath)}`;
    } else {
      problems.push(`${name}: no value`);
    }
  }
  return { env, declared, fromConfigMaps, secrets, problems };
}

/** Every `$(VAR)` an env entry's value refers to. */
export function envReferences(container: JsonObject): Set<string> {
  const refs = new Set<string>();
  for (const entry of (container.env ?? []) as JsonObject[]) {
    if (typeof entry.value !== 'string') continue;
    for (const match of entry.value.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g))
      refs.add(match[1]!);
  }
  return refs;
}

/** The probes of a container, by kind. */
export function probesOf(container: JsonObject): [string, JsonObject][] {
  return ['startupProbe', 'livenessProbe', 'readinessProbe']
    .filter((k) => isObject(container[k]))
    .map((k) => [k, container[k] as JsonObject]);
}

/** The container port a probe's or a Service's `port`/`targetPort` (a number or a name) means. */
export function containerPortFor(
  container: JsonObject,
  port: Json | undefined,
): number | undefined {
  const ports = (container.ports ?? []) as JsonObject[];
  if (typeof port === 'number')
    return ports.some((p) => p.containerPort === port) ? port : undefined;
  const named = ports.find((p) => p.name === port);
  return named ? Number(named.containerPort) : undefined;
}

/** Whether a label selector's matchLabels (or a plain selector map) selects these labels. */
export function selects(selector: JsonObject | undefined, labels: JsonObject | undefined): boolean {
  if (!selector) return false;
  const match = (isObject(selector.matchLabels) ? selector.matchLabels : selector) as JsonObject;
  if (selector.matchExpressions)
    throw new Error('matchExpressions are not evaluated by these tests');
  return Object.entries(match).every(([k, v]) => labels?.[k] === v);
}

export const templateLabels = (resource: Resource): JsonObject =>
  (((resource.spec as JsonObject).template as JsonObject).metadata as JsonObject)
    .labels as JsonObject;
