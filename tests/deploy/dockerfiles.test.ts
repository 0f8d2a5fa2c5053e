import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  NATS_URL,
  REDIS_URL,
  deleteNatsStreams,
  dropDatabase,
  hasNats,
  hasPostgres,
  obliterateQueue,
  redisAvailable,
  uniqueDatabaseUrl,
  uniqueName,
} from '../../test-support/servers.js';
import { TEST_JWT_KEY } from '../../test-support/service-harness.js';
import type { JsonObject } from './lib/kustomize.js';
import {
  REPO,
  appContainer,
  loadSkaffold,
  ofKind,
  probesOf,
  rendered,
  resolveEnv,
  workloadOfImage,
} from './lib/manifests.js';
import { DockerfileReplayer, resolveUser, runImage, type BuiltImage } from './lib/replay.js';

/**
 * Each image skaffold builds, replayed from its Dockerfile into an empty folder (lib/replay.ts),
 * then started the way its Deployment runs it: its command, its user, its emptyDir volumes as
 * the only writable places, the Deployment's settings with this machine's servers in place of
 * the cluster's. It must answer its probes, pass its HEALTHCHECK and stop cleanly on SIGTERM.
 */

const hasRedis = await redisAvailable();

const LOG_DIR = join(REPO, '.test-output', 'deploy');
/**
 * Packages the lock marks dev-only (needed by no production dependency of any workspace): none
 * may be in a runtime image. (`devOptional` ones, such as @types/node, which stripe names as an
 * optional peer, are installed by `npm ci --omit=dev` by design.)
 */
const lock = JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; devDependencies?: Record<string, string> }>;
};
const DEV_ONLY = Object.entries(lock.packages)
  .filter(([path, entry]) => entry.dev === true && /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path))
  .map(([path]) => path.slice('node_modules/'.length));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function waitFor(url: string, exited: Promise<unknown>, ms: number): Promise<number> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + ms;
  let last = 0;
  while (Date.now() < deadline && !gone) {
    last = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      (r) => r.status,
      () => 0,
    );
    if (last === 200) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

const tail = (file: string) =>
  existsSync(file) ? readFileSync(file, 'utf8').split('\n').slice(-30).join('\n') : '';

describe.skipIf(!hasPostgres || !hasNats || !hasRedis)(
  'Dockerfiles, replayed without Docker',
  () => {
    mkdirSync(LOG_DIR, { recursive: true });
    const replayer = new DockerfileReplayer({ context: REPO });
    const resources = rendered('base');
    const artifacts = loadSkaffold().artifacts;
    const cleanups: (() => Promise<void>)[] = [];

    afterAll(async () => {
      for (const cleanup of cleanups) await cleanup().catch(() => undefined);
      replayer.cleanup();
    }, 120_000);

    it.each(artifacts.map((a) => [a.dockerfile, a] as const))(
      'when %s is replayed and started as its Deployment runs it, then it answers its probes and HEALTHCHECK as a non-root user and stops cleanly on SIGTERM',
      async (_dockerfile, artifact) => {
        const workload = workloadOfImage(artifact.image)!;
        const deployment = ofKind(resources, 'Deployment').find(
          (d) => appContainer(d).image === artifact.image,
        )!;
        expect(deployment, artifact.image).toBeDefined();
        const container = appContainer(deployment);
        const logFile = join(LOG_DIR, `${workload}.log`);

        let image: BuiltImage;
        try {
          image = replayer.build(join(REPO, artifact.dockerfile), artifact.target);
        } catch (error) {
          throw new Error(`replaying ${artifact.dockerfile} failed: ${(error as Error).message}`);
        }
        const { config, root } = image;

        // What the image is, before it runs.
        expect(config.shellForm, 'CMD in exec form, so the process gets SIGTERM itself').toBe(
          false,
        );
        expect(resolveUser(config.user)?.uid ?? 0, 'USER is not root').not.toBe(0);
        expect(config.healthcheck, 'a HEALTHCHECK').toBeDefined();
        const app = join(root, config.workdir);
        for (const pkg of DEV_ONLY) {
          expect(existsSync(join(app, 'node_modules', pkg)), `${pkg} in the runtime image`).toBe(
            false,
          );
        }
        const sources =
          workload === 'client'
            ? ['client/app', 'client/lib']
            : ['packages/common/src', `services/${workload}/src`];
        for (const source of sources)
          expect(existsSync(join(app, source)), `${source} in the runtime image`).toBe(false);
        // Next.js serves client/public as it is: the image needs it if there is one.
        if (workload === 'client' && existsSync(join(REPO, 'client/public'))) {
          expect(existsSync(join(app, 'client/public')), 'client/public in the image').toBe(true);
        }

        // Started as its Deployment would start it, with this machine's servers.
        const port = await freePort();
        const env: Record<string, string> = {
          ...resolveEnv(container, resources, () => undefined).env,
          PORT: String(port),
          LOG_LEVEL: 'info',
        };
        delete env.POSTGRES_PASSWORD;
        const prefix = uniqueName(`img_${workload}`);
        if (workload === 'client') {
          env.API_ORIGIN = `http://127.0.0.1:${await freePort()}`;
        } else {
          const databaseUrl = uniqueDatabaseUrl(`img_${workload}`);
          Object.assign(env, {
            DATABASE_URL: databaseUrl,
            NATS_URL,
            NATS_PREFIX: prefix,
            JWT_KEY: TEST_JWT_KEY,
            ...(env.REDIS_URL ? { REDIS_URL, BULLMQ_PREFIX: prefix } : {}),
          });
          cleanups.push(
            () => dropDatabase(databaseUrl),
            () => deleteNatsStreams(prefix),
          );
          if (env.REDIS_URL)
            cleanups.push(() =>
              obliterateQueue(env.EXPIRATION_QUEUE ?? 'order-expiration', prefix),
            );
        }
        const volumes = new Set(
          (((deployment.spec as JsonObject).template as JsonObject).spec as JsonObject)
            .volumes as JsonObject[],
        );
        const writablePaths = ((container.volumeMounts ?? []) as JsonObject[])
          .filter((m) => [...volumes].some((v) => v.name === m.name && v.emptyDir))
          .map((m) => String(m.mountPath));
        const running = runImage(image, { env, writablePaths, logFile });
        const stopIfRunning = async () => {
          if (running.child.exitCode === null && running.child.signalCode === null)
            running.child.kill('SIGKILL');
          await running.exited;
        };
        cleanups.unshift(stopIfRunning);

        try {
          const liveness = String(
            (probesOf(container).find(([k]) => k === 'livenessProbe')![1].httpGet as JsonObject)
              .path,
          );
          const status = await waitFor(
            `http://127.0.0.1:${port}${liveness}`,
            running.exited,
            120_000,
          );
          expect(status, `${liveness} did not answer 200; log:\n${tail(logFile)}`).toBe(200);
          for (const [kind, probe] of probesOf(container)) {
            const path = String((probe.httpGet as JsonObject).path);
            const ready = await waitFor(`http://127.0.0.1:${port}${path}`, running.exited, 30_000);
            expect(ready, `${kind} ${path}`).toBe(200);
          }
          expect(await running.exec(config.healthcheck!.exec), 'HEALTHCHECK while running').toBe(0);

          running.child.kill((config.stopSignal as NodeJS.Signals | undefined) ?? 'SIGTERM');
          const code = await Promise.race([
            running.exited,
            new Promise((r) => setTimeout(() => r('still running 30 s after SIGTERM'), 30_000)),
          ]);
          // `next start` drains as the services do, then exits 143 (128 + SIGTERM) on purpose;
          // killed by the signal instead, the process would report 'SIGTERM', not a code.
          expect(code, `exit after SIGTERM; log:\n${tail(logFile)}`).toBe(
            workload === 'client' ? 143 : 0,
          );
          expect(await running.exec(config.healthcheck!.exec), 'HEALTHCHECK once stopped').not.toBe(
            0,
          );
        } finally {
          await stopIfRunning();
        }
      },
      20 * 60_000,
    );

    it('when every image has been replayed, then their shared first stage was installed once (the layer cache serves the others)', () => {
      const installs = replayer.runs.filter((r) => r.command === 'npm ci --no-audit --no-fund');
      expect(installs.length).toBe(artifacts.length);
      expect(installs.filter((r) => !r.cached)).toHaveLength(1);
    });
  },
);
