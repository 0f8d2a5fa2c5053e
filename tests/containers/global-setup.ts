import { rm } from 'node:fs/promises';
import { hasPodman, podman, removeStack, renderStack, stackDir, startStack } from './stack.js';

/**
 * Once for all container tests: the podman overlay, rendered by `kubectl kustomize`, started
 * with `podman kube play` on the images build-images.sh made; removed afterwards (pods, secrets,
 * databases, streams, jobs), whether the tests passed or not.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  if (!hasPodman) {
    if (process.env.CI)
      throw new Error('podman is not installed: the container tests must run in CI');
    console.warn('podman is not installed: the container tests are skipped');
    return undefined;
  }
  const stack = await renderStack();
  const images = new Set([...stack.yaml.matchAll(/^\s+image: (\S+)$/gm)].map((m) => m[1]!));
  for (const image of images) {
    const found = await podman('image', 'exists', image).then(
      () => true,
      () => false,
    );
    if (!found) throw new Error(`image ${image} is missing: run deploy/podman/build-images.sh`);
  }
  const dir = await stackDir();
  const teardown = async () => {
    try {
      await removeStack(stack, dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  try {
    await startStack(stack, dir);
  } catch (error) {
    // The pods' own words on why they did not start, then everything is removed.
    for (const r of stack.replicas) {
      const logs = await podman('logs', '--tail', '20', r.container).catch((e: Error) => e.message);
      console.error(`--- ${r.container}\n${logs}`);
    }
    await teardown();
    throw error;
  }
  return teardown;
}
