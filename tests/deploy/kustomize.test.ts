import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderKustomization, strategicMerge, type Resource } from './lib/kustomize.js';
import { KUSTOMIZATIONS, REPO } from './lib/manifests.js';

/** The tests' kustomize subset (lib/kustomize.ts) on small cases, and against the real one. */

const dirs: string[] = [];
/** Fixtures that render, to compare with kubectl's kustomize as well. */
const comparable: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Writes files into a fresh folder and returns it. */
function fixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'kustomize-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: { app: web }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
        - name: sidecar
          image: busybox
        - name: app
          image: ticketing/web
          env:
            - { name: A, value: a }
            - { name: B, value: b }
            - { name: C, value: $(A)-c }
          ports:
            - { name: http, containerPort: 3000 }
`;
const service = `apiVersion: v1
kind: Service
metadata: { name: web }
spec:
  selector: { app: web }
  ports: [{ name: http, port: 80, targetPort: http }]
`;

const byName = (resources: Resource[]) =>
  Object.fromEntries(resources.map((r) => [`${r.kind}/${r.metadata.name}`, r])) as Record<
    string,
    any
  >;

/** kubectl embeds kustomize: where it is installed, the subset must agree with it exactly. */
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectl)
  console.warn('[skip] kubectl is not installed: the comparison with kustomize is skipped');

describe('the kustomize subset the tests render with', () => {
  it('when an overlay patches a list with a merge key, then matching elements merge and the patch’s come first, as kustomize orders them', () => {
    const dir = fixture({
      'base/kustomization.yaml': 'resources: [web.yaml]\n',
      'base/web.yaml': deployment,
      'overlay/kustomization.yaml': `resources: [../base]
patches:
  - patch: |
      apiVersion: apps/v1
      kind: Deployment
      metadata: { name: web }
      spec:
        template:
          spec:
            containers:
              - name: app
                env:
                  - { name: C, value: changed }
                  - { name: D, value: new }
                  - { name: B, $patch: delete }
`,
    });
    comparable.push(join(dir, 'overlay'));
    const web = byName(renderKustomization(join(dir, 'overlay')))['Deployment/web'];
    const containers = web.spec.template.spec.containers;
    expect(containers.map((c: any) => c.name)).toEqual(['app', 'sidecar']);
    expect(containers[0].env).toEqual([
      { name: 'C', value: 'changed' },
      { name: 'D', value: 'new' },
      { name: 'A', value: 'a' },
    ]);
    expect(containers[0].ports).toEqual([{ name: 'http', containerPort: 3000 }]);
  });

  it('when a patch has a target, then it applies to every resource the target selects, whatever name it gives itself', () => {
    const dir = fixture({
      'kustomization.yaml': `resources: [web.yaml, other.yaml, service.yaml]
patches:
  - path: limits.yaml
    target: { kind: Deployment }
`,
      'web.yaml': deployment,
      'other.yaml': deployment.replaceAll('web', 'other'),
      'service.yaml': service,
      'limits.yaml': `apiVersion: apps/v1
kind: Deployment
metadata: { name: any }
spec:
  template:
    spec:
      containers:
        - name: app
          resources: { limits: { memory: 1Gi } }
`,
    });
    comparable.push(dir);
    const resources = byName(renderKustomization(dir));
    for (const name of ['web', 'other']) {
      const app = resources[`Deployment/${name}`].spec.template.spec.containers[0];
      expect(app.name).toBe('app');
      expect(app.resources).toEqual({ limits: { memory: '1Gi' } });
      expect(app.image).toBe('ticketing/web'.replace('web', name));
    }
    expect(resources['Service/web'].spec.ports).toHaveLength(1);
  });

  it('when replicas, images and a JSON 6902 patch are given, then each is applied', () => {
    const dir = fixture({
      'kustomization.yaml': `resources: [web.yaml]
replicas: [{ name: web, count: 3 }]
images: [{ name: ticketing/web, newName: registry.example/web, newTag: '1.2' }]
patches:
  - target: { kind: Deployment, name: web }
    patch: |
      - op: replace
        path: /spec/template/spec/containers/1/ports/0/containerPort
        value: 8080
      - op: add
        path: /metadata/labels/tier
        value: front
`,
      'web.yaml': deployment,
    });
    comparable.push(dir);
    const web = byName(renderKustomization(dir))['Deployment/web'];
    expect(web.spec.replicas).toBe(3);
    expect(web.spec.template.spec.containers[1].image).toBe('registry.example/web:1.2');
    expect(web.spec.template.spec.containers[0].image).toBe('busybox');
    expect(web.spec.template.spec.containers[1].ports[0].containerPort).toBe(8080);
    expect(web.metadata.labels).toEqual({ app: web.metadata.labels.app, tier: 'front' });
  });

  it('when a kustomization uses a field outside the subset, or a patch matches nothing, then rendering fails instead of ignoring it', () => {
    const outside = fixture({
      'kustomization.yaml': 'resources: [web.yaml]\nnamePrefix: x-\n',
      'web.yaml': deployment,
    });
    expect(() => renderKustomization(outside)).toThrow(/namePrefix.*outside the kustomize subset/);
    const unmatched = fixture({
      'kustomization.yaml': 'resources: [web.yaml]\npatches: [{ path: p.yaml }]\n',
      'web.yaml': deployment,
      'p.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: nope }\nspec: { replicas: 2 }\n',
    });
    expect(() => renderKustomization(unmatched)).toThrow(/matches no resource/);
  });

  it('when maps are merged, then null deletes a key and $patch: replace replaces the map', () => {
    expect(
      strategicMerge(
        { a: 1, b: { c: 1, d: 2 }, e: { f: 1 } },
        { a: null, b: { d: 3 }, e: { $patch: 'replace', g: 2 } },
        [],
      ),
    ).toEqual({ b: { c: 1, d: 3 }, e: { g: 2 } });
  });

  it.skipIf(!kubectl)(
    'when our kustomizations and the cases above are rendered by the subset and by kubectl kustomize, then both give the same resources',
    () => {
      expect(comparable).toHaveLength(3);
      for (const dir of [
        ...Object.values(KUSTOMIZATIONS).map((d) => join(REPO, d)),
        ...comparable,
      ]) {
        const ours = byName(renderKustomization(dir));
        const output = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
        const theirs = byName(parseAllDocuments(output).map((d) => d.toJS() as Resource));
        expect(Object.keys(ours).sort(), dir).toEqual(Object.keys(theirs).sort());
        for (const [key, resource] of Object.entries(theirs)) {
          expect(ours[key], `${dir}: ${key}`).toStrictEqual(resource);
        }
      }
    },
  );
});
