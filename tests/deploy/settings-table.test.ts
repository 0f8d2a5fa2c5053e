import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from './lib/resources.js';
import {
  REPO,
  appContainer,
  find,
  loadSkaffold,
  ofKind,
  rendered,
  workloadOfImage,
} from './lib/manifests.js';
import {
  WORKLOADS,
  documentedSettings,
  formatDefault,
  settingsOf,
  type Setting,
  type WorkloadName,
} from './lib/settings.js';

/**
 * deploy/README.md's settings table is the one place that lists every variable every process
 * reads. It is checked against the code (the settings schemas and direct process.env reads),
 * against the defaults the code applies, and against where the manifests set each variable.
 */

const readme = readFileSync(join(REPO, 'deploy/README.md'), 'utf8');
const rows = documentedSettings(readme);
const read = new Map<WorkloadName, Map<string, Setting>>();
for (const workload of WORKLOADS) read.set(workload, await settingsOf(REPO, workload));

/**
 * The variables the `runtime` stage of a Dockerfile sets with `ENV NAME=value ...` (the form
 * our Dockerfiles use): what "image" in the table means. Built images are checked for real by
 * the container tests.
 */
function runtimeEnvNames(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/\\\n/g, ' ');
  const stage = text.split(/^FROM /m).find((s) => /^\S+ AS runtime$/m.test(s)) ?? '';
  return [...stage.matchAll(/^ENV (.+)$/gm)].flatMap((m) =>
    [...m[1]!.matchAll(/(?:^|\s)([A-Z_][A-Z0-9_]*)=/g)].map((v) => v[1]!),
  );
}

const rowFor = (workload: string, name: string) =>
  rows.find((r) => r.name === name && r.usedBy.has(workload));

describe('the settings table of deploy/README.md', () => {
  it('when every variable each workload reads is looked up, then the table has a row for it and that workload', () => {
    const missing: string[] = [];
    for (const [workload, settings] of read) {
      for (const name of settings.keys())
        if (!rowFor(workload, name)) missing.push(`${workload}: ${name}`);
    }
    expect(missing).toEqual([]);
  });

  it('when each row is read, then every workload it names reads that variable, and no variable has two rows for one workload', () => {
    const stale: string[] = [];
    const seen = new Set<string>();
    for (const row of rows) {
      expect(row.usedBy.size, row.name).toBeGreaterThan(0);
      for (const workload of row.usedBy) {
        if (!read.get(workload as WorkloadName)?.has(row.name))
          stale.push(`${workload}: ${row.name}`);
        const key = `${workload}/${row.name}`;
        expect(seen.has(key), `${key} twice`).toBe(false);
        seen.add(key);
      }
      expect(row.meaning.length, `${row.name} has a meaning`).toBeGreaterThan(10);
    }
    expect(stale).toEqual([]);
  });

  it('when a default is documented, then it is the one the code applies (or "required", or "unset")', () => {
    const wrong: string[] = [];
    for (const [workload, settings] of read) {
      for (const setting of settings.values()) {
        if (!setting.schema) continue; // read straight from process.env: its code holds the default
        const cell = rowFor(workload, setting.name)?.defaultText ?? '';
        const expected = setting.required
          ? 'required'
          : setting.defaultValue === undefined
            ? 'unset'
            : `\`${formatDefault(setting.defaultValue)}\``;
        if (!cell.includes(expected))
          wrong.push(`${workload}: ${setting.name} is ${expected}, the table says ${cell}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when the "set in" column is checked against the base manifests, then each variable is set where it says, and nowhere for "—"', () => {
    const resources = rendered('base');
    const config = find(resources, 'ConfigMap', 'ticketing-config')!.data as JsonObject;
    const artifacts = loadSkaffold().artifacts;
    const wrong: string[] = [];
    for (const row of rows) {
      for (const workload of row.usedBy) {
        const deployment = ofKind(resources, 'Deployment').find(
          (d) => workloadOfImage(String(appContainer(d).image)) === workload,
        )!;
        const container = appContainer(deployment);
        const entry = ((container.env ?? []) as JsonObject[]).find((e) => e.name === row.name);
        const viaConfig =
          config[row.name] !== undefined &&
          ((container.envFrom ?? []) as JsonObject[]).some(
            (f) => (f.configMapRef as JsonObject | undefined)?.name === 'ticketing-config',
          );
        const where = `${workload}: ${row.name} (${row.setIn})`;
        const secret = /^Secret `([\w-]+)`/.exec(row.setIn)?.[1];
        if (row.setIn.startsWith('`ticketing-config`')) {
          if (!viaConfig || entry) wrong.push(where);
        } else if (secret) {
          const ref = (entry?.valueFrom as JsonObject | undefined)?.secretKeyRef as
            JsonObject | undefined;
          if (ref?.name !== secret) wrong.push(where);
        } else if (row.setIn.startsWith('Deployment')) {
          if (typeof entry?.value !== 'string') wrong.push(where);
        } else if (row.setIn === 'image') {
          const artifact = artifacts.find((a) => a.image === `ticketing/${workload}`)!;
          const env = runtimeEnvNames(join(REPO, artifact.dockerfile));
          if (!env.includes(row.name) || entry || viaConfig) wrong.push(where);
        } else if (row.setIn === '—') {
          if (entry || viaConfig) wrong.push(where);
        } else {
          wrong.push(
            `${where}: not one of \`ticketing-config\`, Secret \`name\`, Deployment, image, —`,
          );
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
