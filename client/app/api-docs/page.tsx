import type { Metadata } from 'next';
import { Fragment, type ReactNode } from 'react';
import { Notice } from '@/components/alerts';
import { PageHeader } from '@/components/page-header';
import { apiGet } from '@/lib/server-api';

export const metadata: Metadata = { title: 'API reference' };

/** The parts of an OpenAPI 3.1 document (as the services build it) that this page shows. */
interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  not?: Schema;
  description?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  default?: unknown;
  example?: unknown;
}
interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}
interface Content {
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: Content;
  responses: Record<string, Content & { description: string }>;
}
interface OpenApiDocument {
  info: { title: string; version: string; description?: string };
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

const METHOD_TONES: Record<string, string> = {
  get: 'bg-sky-50 text-sky-800 ring-sky-200',
  post: 'bg-emerald-50 text-emerald-800 ring-emerald-200',
  put: 'bg-amber-50 text-amber-800 ring-amber-200',
  patch: 'bg-violet-50 text-violet-800 ring-violet-200',
  delete: 'bg-rose-50 text-rose-800 ring-rose-200',
};

/** An operation's anchor: `GET /api/tickets/{id}` → `get-api-tickets-id`. */
const anchorOf = (method: string, path: string) =>
  `${method} ${path}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/-$/, '');

const schemaName = (ref: string) => ref.replace('#/components/schemas/', '');

/** Text with `code` spans, as the document writes them. */
function Prose({ text }: { text: string }) {
  return text.split(/(`[^`]+`)/).map((part, i) =>
    part.startsWith('`') && part.endsWith('`') ? (
      <code key={i} className="rounded bg-slate-100 px-1 py-0.5 text-[0.85em] text-slate-800">
        {part.slice(1, -1)}
      </code>
    ) : (
      <Fragment key={i}>{part}</Fragment>
    ),
  );
}

/** A schema's type in one line: `string (date-time) | null`, `Ticket[]`, `"newest" | "price"`. */
function TypeOf({ schema }: { schema: Schema }): ReactNode {
  if (schema.$ref) {
    const name = schemaName(schema.$ref);
    return (
      <a href={`#schema-${name}`} className="link font-mono">
        {name}
      </a>
    );
  }
  if (schema.not) return <span className="text-slate-500">refused</span>;
  if (schema.enum)
    return (
      <span className="font-mono">{schema.enum.map((v) => JSON.stringify(v)).join(' | ')}</span>
    );
  if (schema.type === 'array' && schema.items)
    return (
      <span className="font-mono">
        <TypeOf schema={schema.items} />
        []
      </span>
    );
  const types = Array.isArray(schema.type) ? schema.type : [schema.type ?? 'any'];
  return (
    <span className="font-mono">
      {types
        .map((t) => (t === 'string' && schema.format ? `string (${schema.format})` : t))
        .join(' | ')}
    </span>
  );
}

/** The bounds and defaults a schema states, in words. */
function constraintsOf(schema: Schema): string[] {
  const said: string[] = [];
  const range = (min?: number, max?: number, unit?: string) => {
    const of = (n: number) => (unit ? `${n} ${unit}${n === 1 ? '' : 's'}` : String(n));
    if (min !== undefined && max !== undefined) return `${min}–${of(max)}`;
    if (min !== undefined) return `at least ${of(min)}`;
    if (max !== undefined) return `at most ${of(max)}`;
    return undefined;
  };
  const length = range(schema.minLength, schema.maxLength, 'character');
  const value = range(schema.minimum, schema.maximum);
  const items = range(schema.minItems, schema.maxItems, 'item');
  if (length) said.push(length);
  if (value) said.push(value);
  if (items) said.push(items);
  if (schema.pattern) said.push(`matches ${schema.pattern}`);
  if (schema.default !== undefined) said.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.example !== undefined) said.push(`e.g. ${JSON.stringify(schema.example)}`);
  return said;
}

/** An object's fields, nested objects inline; any other schema as its type. */
function SchemaView({ schema }: { schema: Schema }) {
  const fields = schema.properties ?? schema.items?.properties;
  if (!fields || schema.$ref) {
    return (
      <p className="text-sm">
        <TypeOf schema={schema} />
      </p>
    );
  }
  const required = new Set(schema.properties ? schema.required : schema.items?.required);
  return (
    <div className="space-y-1">
      {schema.type === 'array' && <p className="text-sm text-slate-600">An array of objects:</p>}
      <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 text-sm">
        {Object.entries(fields).map(([name, field]) => (
          <li key={name} className="px-3 py-2">
            <div className="flex flex-wrap items-baseline gap-x-2">
              <code className="font-semibold text-slate-900">{name}</code>
              <span className="text-slate-700">
                <TypeOf schema={field} />
              </span>
              {required.has(name) ? (
                <span className="text-xs font-semibold text-slate-700">required</span>
              ) : (
                <span className="text-xs text-slate-500">optional</span>
              )}
              {constraintsOf(field).map((c) => (
                <span key={c} className="text-xs text-slate-500">
                  {c}
                </span>
              ))}
            </div>
            {field.description && (
              <p className="mt-0.5 text-slate-600">
                <Prose text={field.description} />
              </p>
            )}
            {(field.properties || field.items?.properties) && !field.$ref && (
              <div className="mt-2 pl-4">
                <SchemaView schema={field} />
              </div>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

function OperationView({ method, path, op }: { method: string; path: string; op: Operation }) {
  const signIn = !op.security
    ? undefined
    : op.security.some((s) => Object.keys(s).length === 0)
      ? 'Sign-in optional'
      : 'Sign-in required';
  const body = op.requestBody?.content?.['application/json']?.schema;
  return (
    <section id={anchorOf(method, path)} className="card scroll-mt-24 space-y-4 p-4 sm:p-5">
      <div className="space-y-1">
        <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold text-slate-900">
          <span
            className={`rounded px-2 py-0.5 font-mono text-xs font-bold uppercase ring-1 ring-inset ${METHOD_TONES[method] ?? ''}`}
          >
            {method}
          </span>
          <code className="break-all">{path}</code>
          {signIn && (
            <span className="rounded-full bg-slate-100 px-2.5 py-0.5 text-xs font-semibold text-slate-700">
              {signIn}
            </span>
          )}
        </h3>
        {op.summary && <p className="font-medium text-slate-800">{op.summary}</p>}
        {op.description && (
          <p className="text-sm text-slate-600">
            <Prose text={op.description} />
          </p>
        )}
      </div>
      {op.parameters && op.parameters.length > 0 && (
        <div className="space-y-1">
          <h4 className="text-sm font-semibold text-slate-900">Parameters</h4>
          <SchemaView
            schema={{
              type: 'object',
              properties: Object.fromEntries(
                op.parameters.map((p) => [
                  p.in === 'path' ? `{${p.name}}` : `${p.name} (${p.in})`,
                  { ...p.schema, description: p.description ?? p.schema?.description },
                ]),
              ),
              required: op.parameters
                .filter((p) => p.required)
                .map((p) => (p.in === 'path' ? `{${p.name}}` : `${p.name} (${p.in})`)),
            }}
          />
        </div>
      )}
      {body && (
        <div className="space-y-1">
          <h4 className="text-sm font-semibold text-slate-900">Request body (JSON)</h4>
          {body.description && (
            <p className="text-sm text-slate-600">
              <Prose text={body.description} />
            </p>
          )}
          <SchemaView schema={body} />
        </div>
      )}
      <div className="space-y-1">
        <h4 className="text-sm font-semibold text-slate-900">Responses</h4>
        <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-sm">
          {Object.entries(op.responses).map(([status, response]) => {
            const schema = response.content?.['application/json']?.schema;
            return (
              <Fragment key={status}>
                <dt className="font-mono font-semibold text-slate-900">{status}</dt>
                <dd className="text-slate-700">
                  <Prose text={response.description} />
                  {schema && (
                    <>
                      {' — '}
                      <TypeOf schema={schema} />
                    </>
                  )}
                </dd>
              </Fragment>
            );
          })}
        </dl>
      </div>
    </section>
  );
}

/**
 * The HTTP API's reference, rendered on the server from the OpenAPI document that
 * `/api/openapi.json` serves in this deployment, without scripts.
 */
export default async function ApiDocsPage() {
  const result = await apiGet<OpenApiDocument>('/api/openapi.json');
  if (!result.ok) {
    return (
      <Notice tone="error" role="alert" title="The API reference could not be loaded">
        Please reload the page in a moment.
      </Notice>
    );
  }
  const document = result.data;
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const tag = op.tags?.[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  }
  const schemas = Object.entries(document.components?.schemas ?? {});

  return (
    <>
      <PageHeader
        title="API reference"
        description={document.info.description && <Prose text={document.info.description} />}
        action={
          <a href="/api/openapi.json" className="btn-secondary">
            OpenAPI document (JSON)
          </a>
        }
      />
      <div className="grid gap-8 lg:grid-cols-[14rem_1fr]">
        <nav aria-label="Operations" className="text-sm lg:sticky lg:top-24 lg:self-start">
          <ul className="space-y-4">
            {[...byTag].map(([tag, ops]) => (
              <li key={tag}>
                <a href={`#tag-${tag}`} className="font-semibold text-slate-900 hover:underline">
                  {tag}
                </a>
                <ul className="mt-1 space-y-0.5">
                  {ops.map(({ method, path }) => (
                    <li key={`${method} ${path}`}>
                      <a
                        href={`#${anchorOf(method, path)}`}
                        className="text-slate-600 hover:underline"
                      >
                        <span className="font-mono text-xs uppercase">{method}</span> {path}
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
            {schemas.length > 0 && (
              <li>
                <a href="#schemas" className="font-semibold text-slate-900 hover:underline">
                  Schemas
                </a>
              </li>
            )}
          </ul>
        </nav>
        <div className="min-w-0 space-y-10">
          {[...byTag].map(([tag, ops]) => (
            <section key={tag} id={`tag-${tag}`} className="scroll-mt-24 space-y-4">
              <h2 className="text-xl font-bold text-slate-900">{tag}</h2>
              {ops.map(({ method, path, op }) => (
                <OperationView key={`${method} ${path}`} method={method} path={path} op={op} />
              ))}
            </section>
          ))}
          {schemas.length > 0 && (
            <section id="schemas" className="scroll-mt-24 space-y-4">
              <h2 className="text-xl font-bold text-slate-900">Schemas</h2>
              {schemas.map(([name, schema]) => (
                <section
                  key={name}
                  id={`schema-${name}`}
                  className="card scroll-mt-24 space-y-2 p-4 sm:p-5"
                >
                  <h3 className="font-mono text-base font-semibold text-slate-900">{name}</h3>
                  {schema.description && (
                    <p className="text-sm text-slate-600">
                      <Prose text={schema.description} />
                    </p>
                  )}
                  <SchemaView schema={schema} />
                </section>
              ))}
            </section>
          )}
        </div>
      </div>
    </>
  );
}
