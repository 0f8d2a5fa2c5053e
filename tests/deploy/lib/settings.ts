import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { standaloneServices, standaloneSettings } from '@ticketing/service-host';
import type { z } from 'zod';

/** The services that run as their own process (`apps/service/src/<name>-main.ts`). */
export const SERVICES = [
  'auth',
  'tickets',
  'orders',
  'payments',
  'expiration',
  'notifications',
] as const;
export type ServiceName = (typeof SERVICES)[number];
/** Every workload with its own image: the services and the storefront. */
export const WORKLOADS = [...SERVICES, 'client'] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

export interface Setting {
  name: string;
  /** The validated setting's schema; absent for variables read directly from process.env. */
  schema?: z.ZodType;
  required: boolean;
  /** The default the process applies when the variable is unset (schema settings only). */
  defaultValue?: unknown;
  /** Where it was found, for messages. */
  source: string;
}

const ENV_READS = [
  /process\.env\.([A-Z][A-Z0-9_]*)/g,
  /process\.env\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\]/g,
  /Reflect\.get\(\s*process\.env\s*,\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
  /readEnv\(\s*['"]([A-Z][A-Z0-9_]*)['"]/g,
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (['node_modules', 'dist', '.next', 'fixtures'].includes(entry)) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (
      /\.(ts|tsx|mjs|js)$/.test(entry) &&
      !/\.test\.tsx?$/.test(entry) &&
      !entry.endsWith('.d.ts')
    )
      out.push(path);
  }
  return out;
}

/** Variables the code under `dirs` reads straight from process.env (not through a schema). */
export function directEnvReads(root: string, dirs: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const dir of dirs) {
    for (const file of sourceFiles(join(root, dir))) {
      const text = readFileSync(file, 'utf8');
      for (const re of ENV_READS) {
        for (const match of text.matchAll(re)) {
          if (!found.has(match[1]!)) found.set(match[1]!, relative(root, file));
        }
      }
    }
  }
  return found;
}

function describeSchema(name: string, schema: z.ZodType, source: string): Setting {
  const unset = schema.safeParse(undefined);
  return {
    name,
    schema,
    required: !unset.success,
    defaultValue: unset.success ? unset.data : undefined,
    source,
  };
}

/**
 * Every setting a workload reads: for a service, the settings its standalone host validates (the
 * shared standalone ones, the service's own and those of the adapters chosen for it) plus any
 * variable its code, the host's or the common package's reads directly; for the client, every
 * variable its code reads.
 */
export async function settingsOf(
  root: string,
  workload: WorkloadName,
): Promise<Map<string, Setting>> {
  const settings = new Map<string, Setting>();
  if (workload === 'client') {
    for (const [name, file] of directEnvReads(root, ['client'])) {
      settings.set(name, { name, required: false, source: file });
    }
    return settings;
  }
  // The settings the standalone host validates for this service: its own and its adapters'.
  const own = (await standaloneServices[workload]()).settings as Record<string, z.ZodType>;
  const shapes: [Record<string, z.ZodType>, string][] = [
    [standaloneSettings as Record<string, z.ZodType>, 'apps/service (runStandalone)'],
    [own, `apps/service/src/standalone-services.ts (${workload})`],
  ];
  for (const [shape, source] of shapes) {
    for (const [name, schema] of Object.entries(shape)) {
      settings.set(name, describeSchema(name, schema, source));
    }
  }
  for (const [name, file] of directEnvReads(root, [
    'packages/common/src',
    'apps/service/src',
    `services/${workload}/src`,
  ])) {
    if (!settings.has(name)) settings.set(name, { name, required: false, source: file });
  }
  return settings;
}

/** The full schema a service validates its environment with (for loadConfig). */
export function schemaShape(settings: Map<string, Setting>): Record<string, z.ZodType> {
  return Object.fromEntries(
    [...settings.values()].filter((s) => s.schema).map((s) => [s.name, s.schema!]),
  );
}

export interface DocumentedSetting {
  name: string;
  usedBy: Set<string>;
  defaultText: string;
  setIn: string;
  meaning: string;
}

/**
 * The settings table of deploy/README.md: the table whose header starts `| variable`, with the
 * columns variable, used by, default, set in, meaning. A "used by" cell lists workloads by name;
 * `services` stands for the six services.
 */
export function documentedSettings(readme: string): DocumentedSetting[] {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => /^\|\s*variable\s*\|/i.test(l));
  if (start < 0) throw new Error('deploy/README.md has no table starting with | variable |');
  const cellsOf = (line: string) =>
    line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
  const header = cellsOf(lines[start]!).map((h) => h.toLowerCase());
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`the settings table has no "${name}" column`);
    return index;
  };
  const [name, usedBy, fallback, setIn, meaning] = [
    'variable',
    'used by',
    'default',
    'set in',
    'meaning',
  ].map(column) as [number, number, number, number, number];
  const rows: DocumentedSetting[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cells = cellsOf(line);
    const users = new Set<string>();
    for (const token of cells[usedBy]!.split(/[\s,]+/).filter(Boolean)) {
      if (token === 'services') SERVICES.forEach((s) => users.add(s));
      else if (token !== 'and') users.add(token);
    }
    rows.push({
      name: cells[name]!.replace(/`/g, ''),
      usedBy: users,
      defaultText: cells[fallback]!,
      setIn: cells[setIn]!,
      meaning: cells[meaning]!,
    });
  }
  return rows;
}

/** How a default reads in the table: `3000`, `true`, `usd`. */
export function formatDefault(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
