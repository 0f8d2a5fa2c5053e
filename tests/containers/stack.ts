import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import {
  POSTGRES_URL,
  deleteNatsStreams,
  dropDatabase,
  obliterateQueue,
} from '../../test-support/servers.js';

const run = promisify(execFile);
export const REPO = fileURLToPath(new URL('../../', import.meta.url));
/** Podman's settings for these tests (runc, ulimits), not the system's containers.conf. */
export const CONTAINERS_CONF = join(REPO, 'deploy/podman/containers.conf');
const OVERLAY = join(REPO, 'deploy/overlays/podman');

/** Runs podman with this repository's containers.conf; its stdout. Throws with stderr. */
export async function podman(...args: string[]): Promise<string> {
  const { stdout } = await run('podman', args, {
    env: { ...process.env, CONTAINERS_CONF },
    maxBuffer: 256 * 1024 * 1024,
  });
  return stdout;
}

export const hasPodman = await podman('--version').then(
  () => true,
  () => false,
);

/** One pod of the stack as the podman overlay renders it (one per Deployment). */
export interface Replica {
  /** The Deployment's name, e.g. `tickets-2`. */
  deployment: string;
  /** Its `app` label, the same for both replicas of a workload, e.g. `tickets`. */
  app: string;
  /** Its port on 127.0.0.1. */
  port: number;
  /** Its operators' port (`/metrics`), for the services. */
  metricsPort?: number;
  /** The pod and its container, as `podman kube play` names them. */
  pod: string;
  container: string;
}

export interface Stack {
  /** The rendered manifests, as given to `podman kube play`. */
  yaml: string;
  replicas: Replica[];
  /** The gateway's URL: the stack's one origin, as the ingress is on a cluster. */
  url: string;
  /** Settings the pods share (the podman overlay's ConfigMap). */
  natsPrefix: string;
  /** The prefix of expiration's BullMQ keys in Redis. */
  bullmqPrefix: string;
  databases: string[];
  secrets: string[];
}

interface Manifest {
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  data?: Record<string, string>;
  spec?: {
    template: {
      spec: {
        containers: Array<{
          name: string;
          env?: Array<{
            name: string;
            value?: string;
            valueFrom?: { secretKeyRef?: { name: string; key: string } };
          }>;
        }>;
      };
    };
  };
}

/** `kubectl kustomize deploy/overlays/podman`, parsed. */
export async function renderStack(): Promise<Stack> {
  const { stdout: yaml } = await run('kubectl', ['kustomize', OVERLAY], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const docs = parseAllDocuments(yaml).map((d) => d.toJS() as Manifest);
  const replicas: Replica[] = [];
  const databases = new Set<string>();
  const secrets = new Set<string>();
  let gatewayPort = 0;
  let bullmqPrefix = 'bull';
  for (const doc of docs.filter((d) => d.kind === 'Deployment')) {
    const container = doc.spec!.template.spec.containers[0]!;
    const env = new Map((container.env ?? []).map((e) => [e.name, e]));
    const port = Number(env.get('PORT')?.value);
    const database = env.get('DATABASE_URL')?.value;
    if (database) databases.add(new URL(database).pathname.slice(1));
    bullmqPrefix = env.get('BULLMQ_PREFIX')?.value ?? bullmqPrefix;
    for (const e of container.env ?? []) {
      if (e.valueFrom?.secretKeyRef) secrets.add(e.valueFrom.secretKeyRef.name);
    }
    const name = doc.metadata.name;
    if (name === 'gateway') {
      gatewayPort = port;
      continue;
    }
    // podman 4.3 names a Deployment's pod `<name>-pod-0` and its containers `<pod>-<container>`.
    const pod = `${name}-pod-0`;
    replicas.push({
      deployment: name,
      app: doc.metadata.labels!.app!,
      port,
      metricsPort: env.has('METRICS_PORT') ? Number(env.get('METRICS_PORT')!.value) : undefined,
      pod,
      container: `${pod}-${container.name}`,
    });
  }
  const config = docs.find((d) => d.kind === 'ConfigMap' && d.metadata.name === 'ticketing-config');
  return {
    yaml,
    replicas,
    url: `http://127.0.0.1:${gatewayPort}`,
    natsPrefix: config!.data!.NATS_PREFIX!,
    bullmqPrefix,
    databases: [...databases],
    secrets: [...secrets],
  };
}

/** Waits until `url` answers 200, or throws after `ms`. */
export async function waitFor200(url: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = await fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The health path of a replica: the services' readiness (database and NATS), the client's. */
export const readyPath = (replica: Replica): string =>
  replica.app === 'client' ? '/healthz' : '/readyz';

/**
 * Starts the stack: the secrets it names, created with `podman secret create` from JSON, then `podman kube play` of the rendered overlay; resolves when
 * every pod and the gateway answer. Leftovers of an earlier run are removed first.
 */
export async function startStack(stack: Stack, dir: string): Promise<void> {
  await removeStack(stack, dir);
  const jwtKey = randomBytes(48).toString('base64url');
  for (const name of stack.secrets) {
    if (name !== 'jwt')
      throw new Error(`the podman stack names a Secret it does not make: ${name}`);
    // podman 4.3 reads a secret for kube play as a Kubernetes Secret's `data`: a JSON object of
    // keys to base64 values.
    const secret = { JWT_KEY: Buffer.from(jwtKey).toString('base64') };
    const file = join(dir, `${name}.json`);
    await writeFile(file, JSON.stringify(secret), { mode: 0o600 });
    await podman('secret', 'create', name, file);
    await rm(file);
  }
  const manifests = join(dir, 'stack.yaml');
  await writeFile(manifests, stack.yaml);
  await podman('kube', 'play', '--quiet', manifests);
  await Promise.all([
    ...stack.replicas.map((r) => waitFor200(`http://127.0.0.1:${r.port}${readyPath(r)}`, 120_000)),
    waitFor200(`${stack.url}/healthz`, 120_000),
  ]);
}

/**
 * Removes everything the stack made: its pods and containers, its secrets, its databases, its
 * NATS streams and its BullMQ jobs. Safe to call when nothing or only part of it exists.
 */
export async function removeStack(stack: Stack, dir: string): Promise<void> {
  const manifests = join(dir, 'stack.yaml');
  await writeFile(manifests, stack.yaml);
  await podman('kube', 'down', manifests).catch(() => undefined);
  // kube down leaves a pod whose play failed half-way: remove them by name too.
  const pods = [...stack.replicas.map((r) => r.pod), 'gateway-pod-0'];
  await podman('pod', 'rm', '--force', '--ignore', ...pods).catch(() => undefined);
  for (const name of stack.secrets) await podman('secret', 'rm', name).catch(() => undefined);
  for (const db of stack.databases) await dropDatabase(`${POSTGRES_URL}/${db}`);
  await deleteNatsStreams(stack.natsPrefix);
  // Expiration's and notifications' delayed jobs (their queues' default names).
  for (const queue of ['order-expiration', 'reservation-reminder'])
    await obliterateQueue(queue, stack.bullmqPrefix).catch(() => undefined);
}

/** A private temporary folder for the rendered manifests and secret files. */
export const stackDir = (): Promise<string> => mkdtemp(join(tmpdir(), 'ticketing-podman-'));
