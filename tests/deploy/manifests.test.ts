import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { createHttpApp, listen, loadConfig, parseTrustProxy } from '@ticketing/common';
import { natsNames } from '@ticketing/common/nats';
import { Router } from 'express';
import { describe, expect, it } from 'vitest';
import { validateResource } from './lib/k8s-schema.js';
import { parse } from 'yaml';
import { podSpecs, resourceName, type JsonObject, type Resource } from './lib/resources.js';
import {
  KUSTOMIZATIONS,
  PODMAN_OVERLAY,
  REPO,
  appContainer,
  containerPortFor,
  envReferences,
  find,
  artifactsOf,
  loadSkaffold,
  ofKind,
  probesOf,
  rendered,
  resolveEnv,
  selects,
  templateLabels,
  workloadOfImage,
  type KustomizationName,
  type SecretRef,
} from './lib/manifests.js';
import { SERVICES, WORKLOADS, schemaShape, settingsOf, type WorkloadName } from './lib/settings.js';

const ALL = Object.keys(KUSTOMIZATIONS) as KustomizationName[];
/** Values standing in for the Secrets' contents, shaped as the settings expect them. */
const SAMPLE_SECRETS: Record<string, string> = {
  JWT_KEY: 'a-session-signing-key-of-more-than-32-characters',
  POSTGRES_PASSWORD: '0123456789abcdef0123456789abcdef',
  STRIPE_SECRET_KEY: 'sk_test_0123456789abcdef',
  NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY: 'pk_test_0123456789abcdef',
  SMTP_URL: 'smtp://user:password@smtp.example.com:587',
  MAIL_FROM: 'Ticketing <no-reply@example.com>',
};
const secretsPresent = (variable: string) => SAMPLE_SECRETS[variable] ?? 'a-secret-value';
const onlyRequiredSecrets = (variable: string, ref: SecretRef) =>
  ref.optional ? undefined : secretsPresent(variable);

const workloadOf = (deployment: Resource): WorkloadName => {
  const workload = workloadOfImage(String(appContainer(deployment).image));
  if (!workload || !(WORKLOADS as readonly string[]).includes(workload)) {
    throw new Error(`${resourceName(deployment)} runs ${String(appContainer(deployment).image)}`);
  }
  return workload as WorkloadName;
};

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

describe('Kubernetes manifests', () => {
  describe.each(ALL)('the %s kustomization, rendered', (name) => {
    it('when each resource is checked against the Kubernetes API schemas, then all are valid and name no unknown field', () => {
      const resources = rendered(name);
      expect(resources.length).toBeGreaterThan(0);
      const problems = resources.flatMap((r) =>
        validateResource(r).map((p) => `${resourceName(r)}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    it('when it is rendered, then no Secret is in it and no secret value is written in any manifest', () => {
      const resources = rendered(name);
      expect(ofKind(resources, 'Secret')).toEqual([]);
      const text = JSON.stringify(resources);
      expect(text).not.toMatch(/\b(sk|rk|pk)_(test|live)_\w+/);
      expect(text).not.toMatch(/postgres(ql)?:\/\/[^:"]+:(?!\$\()[^@"]+@/);
    });

    it("when each Deployment's environment is resolved, then its service's required settings are set, every variable is one it reads, and the values pass its validation", async () => {
      const resources = rendered(name);
      const deployments = ofKind(resources, 'Deployment');
      expect(deployments.map(workloadOf).sort()).toEqual([...WORKLOADS].sort());
      for (const deployment of deployments) {
        const workload = workloadOf(deployment);
        const settings = await settingsOf(REPO, workload);
        const container = appContainer(deployment);
        const refs = envReferences(container);
        for (const secrets of [onlyRequiredSecrets, secretsPresent]) {
          const resolved = resolveEnv(container, resources, secrets);
          const where = `${name}: ${resourceName(deployment)}`;
          expect(resolved.problems, where).toEqual([]);
          const missing = [...settings.values()]
            .filter((s) => s.required && resolved.env[s.name] === undefined)
            .map((s) => s.name);
          expect(missing, `${where}: required settings not set`).toEqual([]);
          const unknown = [...resolved.declared, ...resolved.fromConfigMaps].filter(
            (v) => !settings.has(v) && !refs.has(v),
          );
          expect(unknown, `${where}: variables its process does not read`).toEqual([]);
          if (workload !== 'client') {
            expect(() => loadConfig(schemaShape(settings), resolved.env), where).not.toThrow();
          }
        }
      }
    });

    it('when each workload is checked, then every container has resource requests and limits, runs as non-root without privilege escalation, and drops every capability', () => {
      const problems: string[] = [];
      for (const resource of rendered(name)) {
        for (const spec of podSpecs(resource)) {
          const podSecurity = (spec.securityContext ?? {}) as JsonObject;
          for (const container of (spec.containers ?? []) as JsonObject[]) {
            const where = `${resourceName(resource)}/${String(container.name)}`;
            const security = (container.securityContext ?? {}) as JsonObject;
            const resources = (container.resources ?? {}) as JsonObject;
            for (const kind of ['requests', 'limits']) {
              for (const what of ['cpu', 'memory']) {
                if (!(resources[kind] as JsonObject | undefined)?.[what])
                  problems.push(`${where}: no ${kind}.${what}`);
              }
            }
            if (podSecurity.runAsNonRoot !== true && security.runAsNonRoot !== true)
              problems.push(`${where}: may run as root`);
            const uid = security.runAsUser ?? podSecurity.runAsUser;
            if (typeof uid !== 'number' || uid === 0)
              problems.push(`${where}: no non-zero runAsUser`);
            if (security.allowPrivilegeEscalation !== false)
              problems.push(`${where}: privilege escalation allowed`);
            const drop = ((security.capabilities as JsonObject | undefined)?.drop ??
              []) as string[];
            if (!drop.includes('ALL')) problems.push(`${where}: capabilities not dropped`);
            // Only the dev overlay lets skaffold write into the application containers.
            const relaxed = name === 'dev' && resource.kind === 'Deployment';
            if (!relaxed && security.readOnlyRootFilesystem !== true)
              problems.push(`${where}: writable root file system`);
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('when each workload is checked, then every probe of an HTTP server names a port its container declares, and PORT is that port', () => {
      const problems: string[] = [];
      const resources = rendered(name);
      for (const deployment of ofKind(resources, 'Deployment')) {
        const container = appContainer(deployment);
        const where = resourceName(deployment);
        const probes = probesOf(container);
        const kinds = probes.map(([kind]) => kind);
        if (!kinds.includes('livenessProbe') || !kinds.includes('readinessProbe'))
          problems.push(`${where}: needs liveness and readiness probes`);
        for (const [kind, probe] of probes) {
          const get = probe.httpGet as JsonObject | undefined;
          if (!get) problems.push(`${where}: ${kind} is not an HTTP probe`);
          else if (containerPortFor(container, get.port) === undefined)
            problems.push(`${where}: ${kind} port ${String(get.port)} is not a container port`);
        }
        const env = resolveEnv(container, resources, secretsPresent).env;
        const ports = ((container.ports ?? []) as JsonObject[]).map((p) => String(p.containerPort));
        if (!ports.includes(env.PORT ?? ''))
          problems.push(`${where}: PORT ${env.PORT} is not its container port ${ports.join(', ')}`);
      }
      expect(problems).toEqual([]);
    });

    it('when each pod stops, then its grace period covers the preStop pause and the SHUTDOWN_GRACE_MS drain', () => {
      const resources = rendered(name);
      for (const deployment of ofKind(resources, 'Deployment')) {
        const [spec] = podSpecs(deployment);
        const container = appContainer(deployment);
        const grace = Number(spec!.terminationGracePeriodSeconds ?? 30) * 1000;
        const preStop = (
          (container.lifecycle as JsonObject | undefined)?.preStop as JsonObject | undefined
        )?.exec as JsonObject | undefined;
        const command = (preStop?.command ?? []) as string[];
        const pause = command[0] === 'sleep' ? Number(command[1]) * 1000 : 0;
        const env = resolveEnv(container, resources, secretsPresent).env;
        const drain = Number(env.SHUTDOWN_GRACE_MS ?? 10_000);
        expect(pause + drain, resourceName(deployment)).toBeLessThan(grace);
      }
    });

    it('when each Ingress backend is followed, then it names an existing Service and one of its ports, which selects a Deployment and targets a port its container exposes', () => {
      const resources = rendered(name);
      const ingresses = ofKind(resources, 'Ingress');
      expect(ingresses).toHaveLength(1);
      const problems: string[] = [];
      for (const ingress of ingresses) {
        for (const rule of ((ingress.spec as JsonObject).rules ?? []) as JsonObject[]) {
          for (const path of ((rule.http as JsonObject).paths ?? []) as JsonObject[]) {
            const backend = (path.backend as JsonObject).service as JsonObject;
            const where = `${String(path.path)} → ${String(backend.name)}`;
            const service = find(resources, 'Service', String(backend.name));
            if (!service) {
              problems.push(`${where}: no such Service`);
              continue;
            }
            const wanted = backend.port as JsonObject;
            const port = ((service.spec as JsonObject).ports as JsonObject[]).find((p) =>
              wanted.name !== undefined ? p.name === wanted.name : p.port === wanted.number,
            );
            if (!port) {
              problems.push(`${where}: the Service has no port ${JSON.stringify(wanted)}`);
              continue;
            }
            const selector = (service.spec as JsonObject).selector as JsonObject;
            const targets = ofKind(resources, 'Deployment').filter((d) =>
              selects(selector, templateLabels(d)),
            );
            if (targets.length !== 1)
              problems.push(`${where}: the Service selects ${targets.length} Deployments`);
            for (const target of targets) {
              if (
                containerPortFor(appContainer(target), port.targetPort ?? port.port) === undefined
              ) {
                problems.push(
                  `${where}: targetPort ${String(port.targetPort)} is not a port of ${resourceName(target)}`,
                );
              }
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('when the API routes each service declares are matched against the Ingress as ingress-nginx does (longest prefix), then each reaches its own service and everything else the client', () => {
      const resources = rendered(name);
      const [ingress] = ofKind(resources, 'Ingress');
      const paths = ((ingress!.spec as JsonObject).rules as JsonObject[]).flatMap(
        (rule) => (rule.http as JsonObject).paths as JsonObject[],
      );
      const workloadBehind = (serviceName: string) => {
        const service = find(resources, 'Service', serviceName)!;
        const deployment = ofKind(resources, 'Deployment').find((d) =>
          selects((service.spec as JsonObject).selector as JsonObject, templateLabels(d)),
        );
        return deployment ? workloadOf(deployment) : undefined;
      };
      const route = (url: string) => {
        const matching = paths
          .filter((p) => p.pathType === 'Prefix')
          .filter((p) => {
            const prefix = String(p.path).replace(/\/$/, '');
            return url === prefix || url.startsWith(`${prefix}/`) || prefix === '';
          })
          .sort((a, b) => String(b.path).length - String(a.path).length);
        const backend = (matching[0]?.backend as JsonObject | undefined)?.service as
          JsonObject | undefined;
        return backend ? workloadBehind(String(backend.name)) : undefined;
      };
      const declared = apiRoutes();
      expect(Object.keys(declared).sort()).toEqual([
        'auth',
        'notifications',
        'orders',
        'payments',
        'tickets',
      ]);
      const wrong: string[] = [];
      for (const [service, routes] of Object.entries(declared)) {
        for (const path of routes) {
          const concrete = path.replace(/:(\w+)/g, 'x1');
          if (route(concrete) !== service) wrong.push(`${path} (${service}) → ${route(concrete)}`);
        }
      }
      expect(wrong).toEqual([]);
      for (const page of ['/', '/tickets/x1', '/orders/x1', '/signin', '/icon.svg']) {
        expect(route(page), page).toBe('client');
      }
    });

    it('when a workload connects to a data store or the bus, then the Service it names exists, and the NetworkPolicies guarding it admit that workload', () => {
      const resources = rendered(name);
      const problems: string[] = [];
      const policies = ofKind(resources, 'NetworkPolicy');
      const pods = [
        ...ofKind(resources, 'Deployment'),
        ...ofKind(resources, 'StatefulSet'),
        ...ofKind(resources, 'Job'),
      ];
      const podLabels = (r: Resource) =>
        ((((r.spec as JsonObject).template as JsonObject).metadata as JsonObject).labels ??
          {}) as JsonObject;
      for (const policy of policies) {
        const selector = (policy.spec as JsonObject).podSelector as JsonObject;
        if (!pods.some((p) => selects(selector, podLabels(p))))
          problems.push(`${resourceName(policy)} selects no pod`);
      }
      for (const deployment of ofKind(resources, 'Deployment')) {
        const env = resolveEnv(appContainer(deployment), resources, secretsPresent).env;
        for (const variable of ['DATABASE_URL', 'NATS_URL', 'REDIS_URL']) {
          if (!env[variable]) continue;
          const url = new URL(env[variable]);
          const port = Number(url.port);
          const service = find(resources, 'Service', url.hostname);
          if (!service) {
            problems.push(
              `${resourceName(deployment)}: ${variable} names ${url.hostname}, not a Service`,
            );
            continue;
          }
          const servicePort = ((service.spec as JsonObject).ports as JsonObject[]).find(
            (p) => p.port === port,
          );
          if (!servicePort)
            problems.push(`${resourceName(deployment)}: ${url.hostname} has no port ${port}`);
          const backends = pods.filter((p) =>
            selects((service.spec as JsonObject).selector as JsonObject, podLabels(p)),
          );
          if (!backends.length) problems.push(`${url.hostname} selects no pod`);
          for (const backend of backends) {
            for (const policy of policies.filter((p) =>
              selects((p.spec as JsonObject).podSelector as JsonObject, podLabels(backend)),
            )) {
              const admitted = (((policy.spec as JsonObject).ingress ?? []) as JsonObject[]).some(
                (rule) => {
                  const fromOk =
                    !rule.from ||
                    (rule.from as JsonObject[]).some((f) =>
                      selects(f.podSelector as JsonObject, podLabels(deployment)),
                    );
                  const portOk =
                    !rule.ports || (rule.ports as JsonObject[]).some((p) => p.port === port);
                  return fromOk && portOk;
                },
              );
              if (!admitted)
                problems.push(
                  `${resourceName(policy)} refuses ${resourceName(deployment)} on port ${port}`,
                );
            }
          }
        }
      }
      expect(problems).toEqual([]);
    });

    it('when the data stores are listed, then each service has a PostgreSQL of its own on a persistent volume, and expiration a Redis on one', () => {
      const resources = rendered(name);
      const hosts = new Map<string, string>();
      for (const deployment of ofKind(resources, 'Deployment')) {
        const workload = workloadOf(deployment);
        const env = resolveEnv(appContainer(deployment), resources, secretsPresent).env;
        if (workload === 'client') continue;
        const host = new URL(env.DATABASE_URL!).hostname;
        expect(hosts.has(host), `${workload} shares ${host} with ${hosts.get(host)}`).toBe(false);
        hosts.set(host, workload);
        for (const [variable, image] of [
          ['DATABASE_URL', 'postgres:'],
          ['REDIS_URL', 'redis:'],
        ] as const) {
          if (!env[variable]) continue;
          const server = find(resources, 'StatefulSet', new URL(env[variable]).hostname);
          expect(server, `${workload}: ${variable}`).toBeDefined();
          expect(String(appContainer(server!).image).startsWith(image)).toBe(true);
          expect(
            ((server!.spec as JsonObject).volumeClaimTemplates as JsonObject[]).length,
          ).toBeGreaterThan(0);
        }
      }
      expect([...hosts.values()].sort()).toEqual([...SERVICES].sort());
      const expiration = find(resources, 'Deployment', 'expiration')!;
      expect(
        resolveEnv(appContainer(expiration), resources, secretsPresent).env.REDIS_URL,
      ).toBeDefined();
    });
  });

  it('when every YAML file under deploy/ is listed, then each is a resource or a patch of some kustomization (none is left out)', () => {
    const used = new Set<string>();
    const visit = (dir: string) => {
      const file = join(dir, 'kustomization.yaml');
      used.add(file);
      const k = parse(readFileSync(file, 'utf8')) as JsonObject;
      for (const entry of (k.resources ?? []) as string[]) {
        const path = join(dir, entry);
        used.add(path);
        if (statSync(path).isDirectory()) visit(path);
      }
      for (const entry of (k.transformers ?? []) as string[]) used.add(join(dir, entry));
      for (const patch of (k.patches ?? []) as JsonObject[])
        if (patch.path) used.add(join(dir, String(patch.path)));
    };
    for (const dir of [...Object.values(KUSTOMIZATIONS), PODMAN_OVERLAY]) visit(join(REPO, dir));
    const orphans = yamlFilesUnder(join(REPO, 'deploy')).filter((f) => !used.has(f));
    expect(orphans.map((f) => relative(REPO, f))).toEqual([]);
  });

  it('when a request reaches a service through the ingress, then the client address is the one the ingress saw, whatever X-Forwarded-For the client sent', async () => {
    for (const name of ALL) {
      const value = String(
        (find(rendered(name), 'ConfigMap', 'ticketing-config')!.data as JsonObject).TRUST_PROXY,
      );
      const app = createHttpApp({
        routers: [Router().get('/api/ip', (req, res) => void res.json({ ip: req.ip }))],
        jwtKey: SAMPLE_SECRETS.JWT_KEY!,
        readinessChecks: {},
        trustProxy: parseTrustProxy(value),
      });
      const server = await listen(app, 0, '127.0.0.1');
      try {
        // The ingress (here 127.0.0.1) appends the address it saw to what the client sent. A
        // client on a private network (another pod, a LAN) must not be taken for a proxy, or
        // the address it wrote itself would be believed.
        const res = await fetch(`${server.url}/api/ip`, {
          headers: { 'x-forwarded-for': '6.6.6.6, 10.1.2.3' },
        });
        expect(await res.json(), `${name}: TRUST_PROXY=${value}`).toEqual({ ip: '10.1.2.3' });
      } finally {
        await server.close();
      }
    }
  });

  it("when the probes of the services are requested from the HTTP pipeline every service runs, then each path answers 200, the client's from its /healthz route", async () => {
    const app = createHttpApp({
      routers: [],
      jwtKey: SAMPLE_SECRETS.JWT_KEY!,
      readinessChecks: {},
    });
    const server = await listen(app, 0, '127.0.0.1');
    try {
      for (const name of ALL) {
        for (const deployment of ofKind(rendered(name), 'Deployment')) {
          for (const [kind, probe] of probesOf(appContainer(deployment))) {
            const path = String((probe.httpGet as JsonObject).path);
            if (workloadOf(deployment) === 'client') {
              // Answered by client/serve.mjs for real in the container tests.
              expect(path, kind).toBe('/healthz');
              expect(existsSync(join(REPO, 'client/app/healthz/route.ts'))).toBe(true);
              continue;
            }
            const res = await fetch(`${server.url}${path}`);
            expect(res.status, `${resourceName(deployment)} ${kind} ${path}`).toBe(200);
          }
        }
      }
      // And a path that is not a route does not pass for one.
      expect((await fetch(`${server.url}/healthzz`)).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('when the README is read, then every Secret key a workload uses is created by a documented kubectl create secret command', () => {
    const readme = readFileSync(join(REPO, 'deploy/README.md'), 'utf8').replace(/\\\n/g, ' ');
    const documented = new Set<string>();
    for (const match of readme.matchAll(/kubectl create secret generic ([\w-]+)([^\n]*)/g)) {
      for (const literal of match[2]!.matchAll(/--from-literal=([\w.-]+)=/g))
        documented.add(`${match[1]}/${literal[1]}`);
    }
    const used = new Set<string>();
    for (const name of ALL) {
      const resources = rendered(name);
      for (const resource of resources) {
        for (const spec of podSpecs(resource)) {
          for (const container of (spec.containers ?? []) as JsonObject[]) {
            for (const ref of resolveEnv(container, resources, secretsPresent).secrets)
              used.add(`${ref.name}/${ref.key}`);
          }
        }
      }
    }
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((u) => !documented.has(u))).toEqual([]);
  });

  describe('NATS JetStream', () => {
    it('when the base is rendered, then NATS is a StatefulSet with JetStream enabled, its store on a persistent volume', () => {
      const resources = rendered('base');
      const nats = find(resources, 'StatefulSet', 'nats')!;
      const config = String(
        (find(resources, 'ConfigMap', 'nats-config')!.data as JsonObject)['nats.conf'],
      );
      const store = /store_dir:\s*(\S+)/.exec(config)?.[1];
      expect(config).toMatch(/jetstream\s*\{/);
      const mounts = (appContainer(nats).volumeMounts ?? []) as JsonObject[];
      const claims = ((nats.spec as JsonObject).volumeClaimTemplates as JsonObject[]).map(
        (c) => (c.metadata as JsonObject).name,
      );
      const storeMount = mounts.find((m) => store?.startsWith(String(m.mountPath)));
      expect(storeMount && claims.includes(storeMount.name)).toBe(true);
    });

    it('when production is rendered, then NATS runs three nodes whose cluster routes name each of them through the headless Service', () => {
      const resources = rendered('production');
      const nats = find(resources, 'StatefulSet', 'nats')!;
      const spec = nats.spec as JsonObject;
      expect(spec.replicas).toBe(3);
      const headless = find(resources, 'Service', String(spec.serviceName))!;
      expect((headless.spec as JsonObject).clusterIP).toBe('None');
      const config = String(
        (find(resources, 'ConfigMap', 'nats-config')!.data as JsonObject)['nats.conf'],
      );
      const routes = [...config.matchAll(/nats:\/\/([\w.-]+):(\d+)/g)].map((m) => [
        m[1],
        Number(m[2]),
      ]);
      expect(routes).toEqual([0, 1, 2].map((i) => [`nats-${i}.${String(spec.serviceName)}`, 6222]));
      expect(containerPortFor(appContainer(nats), 6222)).toBe(6222);
      expect(config).toMatch(/server_name:\s*\$POD_NAME/);
    });

    it("when the production Job's script runs against a stand-in nats CLI, then it replicates both streams the services use on three nodes, creating or editing them", () => {
      const resources = rendered('production');
      const job = find(resources, 'Job', 'nats-stream-replicas')!;
      const container = appContainer(job);
      const script = String((container.args as string[])[0]);
      const env = resolveEnv(container, resources, secretsPresent).env;
      const prefix = String(
        (find(resources, 'ConfigMap', 'ticketing-config')!.data as JsonObject).NATS_PREFIX,
      );
      const names = natsNames(prefix);
      const dir = mkdtempSync(join(tmpdir(), 'nats-job-'));
      try {
        // The stand-in: JetStream answers; the main stream exists (a service made it), the
        // dead-letter one does not; every call is logged.
        writeFileSync(
          join(dir, 'nats'),
          `#!/bin/sh\necho "$*" >> "${dir}/calls"\ncase "$*" in\n  "stream info ${names.deadLetterStream}") exit 1 ;;\nesac\nexit 0\n`,
        );
        chmodSync(join(dir, 'nats'), 0o755);
        execFileSync('sh', ['-c', script], { env: { ...env, PATH: `${dir}:/usr/bin:/bin` } });
        const calls = readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
        expect(calls).toContain(`stream edit ${names.stream} --replicas 3 --force`);
        expect(calls).toContain(
          `stream add ${names.deadLetterStream} --subjects ${names.deadLetterSubjects} --storage file --replicas 3 --defaults`,
        );
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('the podman overlay (the stack `podman kube play` runs in the container tests)', () => {
    const podman = () => rendered('podman');
    const envOf = (deployment: Resource) =>
      new Map(
        ((appContainer(deployment).env ?? []) as JsonObject[]).map((e) => [String(e.name), e]),
      );
    const portOf = (deployment: Resource) => Number(envOf(deployment).get('PORT')?.value);

    it('when each resource is checked against the Kubernetes API schemas, then all are valid and name no unknown field', () => {
      const problems = podman().flatMap((r) =>
        validateResource(r).map((p) => `${resourceName(r)}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    it('when it is rendered, then it holds only what kube play runs: two pods of every workload and the gateway, on the host network, each on a port of its own, declaring none', () => {
      const resources = podman();
      expect([...new Set(resources.map((r) => r.kind))].sort()).toEqual([
        'ConfigMap',
        'Deployment',
      ]);
      const deployments = ofKind(resources, 'Deployment');
      const apps = deployments.map((d) => String(templateLabels(d).app)).sort();
      expect(apps).toEqual([...[...WORKLOADS, ...WORKLOADS].sort(), 'gateway'].sort());
      const ports = deployments.flatMap((d) => {
        const metrics = envOf(d).get('METRICS_PORT')?.value;
        return metrics === undefined ? [portOf(d)] : [portOf(d), Number(metrics)];
      });
      expect(ports.every((p) => Number.isInteger(p) && p > 1024)).toBe(true);
      expect(new Set(ports).size, 'no two pods share a port').toBe(ports.length);
      for (const deployment of deployments) {
        const spec = podSpecs(deployment)[0]!;
        expect(spec.hostNetwork, resourceName(deployment)).toBe(true);
        expect(appContainer(deployment).ports, resourceName(deployment)).toBeUndefined();
        expect(appContainer(deployment).imagePullPolicy, resourceName(deployment)).toBe('Never');
      }
    });

    it("when each workload's environment is resolved, then its required settings are set, every variable is one it reads, and the values pass its validation", async () => {
      const resources = podman();
      for (const deployment of ofKind(resources, 'Deployment')) {
        if (templateLabels(deployment).app === 'gateway') continue;
        const workload = workloadOf(deployment);
        const settings = await settingsOf(REPO, workload);
        const container = appContainer(deployment);
        const refs = envReferences(container);
        const resolved = resolveEnv(container, resources, onlyRequiredSecrets);
        const where = `podman: ${resourceName(deployment)}`;
        expect(resolved.problems, where).toEqual([]);
        const missing = [...settings.values()]
          .filter((s) => s.required && resolved.env[s.name] === undefined)
          .map((s) => s.name);
        expect(missing, `${where}: required settings not set`).toEqual([]);
        const unknown = [...resolved.declared, ...resolved.fromConfigMaps].filter(
          (v) => !settings.has(v) && !refs.has(v),
        );
        expect(unknown, `${where}: variables its process does not read`).toEqual([]);
        if (workload !== 'client') {
          expect(() => loadConfig(schemaShape(settings), resolved.env), where).not.toThrow();
          // This machine's servers, with names of the stack's own.
          expect(resolved.env.DATABASE_URL, where).toMatch(
            /^postgres:\/\/[^@]+@127\.0\.0\.1:5432\/podman_/,
          );
          expect(resolved.env.NATS_PREFIX, where).toBe('podman');
        }
      }
    });

    it("when the Ingress is followed through its Services to the Deployments they select, then the gateway routes each path to the ports of exactly those workloads' pods", () => {
      const base = rendered('base');
      const expected: Record<string, number[]> = {};
      for (const ingress of ofKind(base, 'Ingress')) {
        const rules = ((ingress.spec as JsonObject).rules ?? []) as JsonObject[];
        for (const rule of rules) {
          for (const path of ((rule.http as JsonObject).paths ?? []) as JsonObject[]) {
            const backend = (path.backend as JsonObject).service as JsonObject;
            const service = find(base, 'Service', String(backend.name))!;
            const selector = (service.spec as JsonObject).selector as JsonObject;
            const apps = ofKind(base, 'Deployment')
              .filter((d) => selects(selector, templateLabels(d)))
              .map((d) => templateLabels(d).app);
            expect(apps, `${String(path.path)} → Service ${String(backend.name)}`).toHaveLength(1);
            expected[String(path.path)] = ofKind(podman(), 'Deployment')
              .filter((d) => templateLabels(d).app === apps[0])
              .map(portOf)
              .sort();
          }
        }
      }
      const gateway = ofKind(podman(), 'Deployment').find(
        (d) => templateLabels(d).app === 'gateway',
      )!;
      const routes = String(envOf(gateway).get('GATEWAY_ROUTES')?.value);
      const actual = Object.fromEntries(
        routes.split(';').map((entry) => {
          const [prefix, ports] = entry.split('=') as [string, string];
          return [prefix, ports.split(',').map(Number).sort()];
        }),
      );
      expect(actual).toEqual(expected);
      expect(Object.values(actual).every((ports) => ports.length === 2)).toBe(true);
    });
  });

  describe('skaffold.yaml', () => {
    const skaffold = loadSkaffold();

    it('when its artifacts are listed, then it builds one image per workload from the repository root, with that workload’s Dockerfile', () => {
      const byImage = Object.fromEntries(skaffold.artifacts.map((a) => [a.image, a]));
      for (const workload of WORKLOADS) {
        const artifact = byImage[`ticketing/${workload}`];
        expect(artifact, workload).toBeDefined();
        expect(artifact!.context).toBe('.');
        if (workload === 'client') {
          expect(artifact!.dockerfile).toBe('client/Dockerfile');
        } else {
          // One Dockerfile for every service; SERVICE names the folder it builds.
          expect(artifact!.dockerfile).toBe('services/Dockerfile');
          expect(artifact!.buildArgs).toEqual({ SERVICE: workload });
        }
      }
      expect(skaffold.artifacts).toHaveLength(WORKLOADS.length);
    });

    it('when its deploy section is read, then it deploys the dev overlay, and every Deployment of every overlay runs an image it builds', () => {
      expect(skaffold.kustomizePaths).toEqual([KUSTOMIZATIONS.dev]);
      const built = new Set(skaffold.artifacts.map((a) => a.image));
      for (const name of ALL) {
        for (const deployment of ofKind(rendered(name), 'Deployment')) {
          expect(
            built.has(String(appContainer(deployment).image)),
            `${name}: ${resourceName(deployment)}`,
          ).toBe(true);
        }
      }
      const production = skaffold.profiles.find((p) => p.name === 'production');
      expect(((production?.manifests as JsonObject).kustomize as JsonObject).paths).toEqual([
        KUSTOMIZATIONS.production,
      ]);
    });

    it("when `skaffold dev` activates its profile, then every artifact builds its Dockerfile's dev stage, and every synced file is one that stage copies in", () => {
      const profile = skaffold.profiles.find((p) =>
        ((p.activation ?? []) as JsonObject[]).some((a) => a.command === 'dev'),
      );
      expect(profile).toBeDefined();
      const raw = structuredClone(skaffold.raw);
      for (const patch of (profile!.patches ?? []) as JsonObject[]) {
        const path = String(patch.path).split('/').slice(1);
        let node: JsonObject = raw;
        for (const token of path.slice(0, -1))
          node = (Array.isArray(node) ? node[Number(token)] : node[token]) as JsonObject;
        expect(patch.op).toBe('add');
        node[path[path.length - 1]!] = patch.value!;
      }
      for (const artifact of artifactsOf(raw)) {
        expect(artifact.target, artifact.image).toBe('dev');
        const dockerfile = readFileSync(join(REPO, artifact.dockerfile), 'utf8');
        expect(dockerfile, artifact.image).toMatch(/^FROM \S+ AS dev$/m);
        // The dev stage (through build) copies the common package and the workload's folder
        // to the same paths under WORKDIR /app, where skaffold syncs them (dest '.').
        const copied = artifact.buildArgs.SERVICE
          ? ['packages/common/', `services/${artifact.buildArgs.SERVICE}/`]
          : ['client/'];
        expect(artifact.sync.length, artifact.image).toBeGreaterThan(0);
        for (const rule of artifact.sync) {
          expect(rule.dest).toBe('.');
          expect(rule.strip).toBeUndefined();
          const files = globFiles(rule.src);
          expect(files.length, `${artifact.image}: ${rule.src} matches no file`).toBeGreaterThan(0);
          for (const file of files)
            expect(
              copied.some((dir) => file.startsWith(dir)),
              `${artifact.image}: ${file}`,
            ).toBe(true);
        }
      }
    });
  });
});

/** The `/api/...` routes each service's routers declare, read from their sources. */
function apiRoutes(): Record<string, string[]> {
  const routes: Record<string, string[]> = {};
  for (const service of SERVICES) {
    const dir = join(REPO, 'services', service, 'src');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    for (const file of files) {
      const text = readFileSync(join(dir, file), 'utf8');
      for (const m of text.matchAll(
        /\.(?:get|post|put|patch|delete|all|use)\(\s*['"](\/api\/[^'"]*)['"]/g,
      )) {
        (routes[service] ??= []).push(m[1]!);
      }
    }
  }
  return routes;
}

/** Files of the repository a skaffold `src` glob matches (`**` any folders, `*` within one). */
function globFiles(pattern: string): string[] {
  const regex = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*\*\//g, '<globstar>')
      .replace(/\*\*/g, '.*')
      .replace(/\*/g, '[^/]*')
      .replace(/<globstar>/g, '(?:.*/)?')}$`,
  );
  const root = pattern.split(/[*]/)[0]!.replace(/\/[^/]*$/, '') || '.';
  const base = join(REPO, root);
  if (!existsSync(base)) return [];
  const all = readdirSync(base, { recursive: true, encoding: 'utf8' }).map((f) =>
    join(root, f).replace(/^\.\//, ''),
  );
  return all.filter(
    (f) =>
      regex.test(f) &&
      !f.includes('node_modules') &&
      !/(^|\/)\.next\//.test(f) &&
      statSync(join(REPO, f)).isFile(),
  );
}
