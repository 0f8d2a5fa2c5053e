import { readFileSync } from 'node:fs';

/**
 * A Dockerfile parser for the instructions our Dockerfiles use, enough to replay them without
 * Docker (replay.ts). Instructions outside this set (ADD, VOLUME, SHELL, ONBUILD, ...) are
 * errors, so the Dockerfiles cannot silently outgrow what the replay checks.
 */

export type Instruction =
  | { kind: 'FROM'; image: string; stage?: string; line: number }
  | { kind: 'WORKDIR'; path: string; line: number }
  | { kind: 'COPY'; sources: string[]; dest: string; from?: string; chown?: string; line: number }
  | { kind: 'RUN'; command: string; cacheMounts: string[]; line: number }
  | { kind: 'ENV'; vars: [string, string][]; line: number }
  | { kind: 'ARG'; name: string; value?: string; line: number }
  | { kind: 'USER'; user: string; line: number }
  | { kind: 'EXPOSE'; ports: string[]; line: number }
  | {
      kind: 'CMD' | 'ENTRYPOINT';
      exec: string[] | undefined;
      shell: string | undefined;
      line: number;
    }
  | {
      kind: 'HEALTHCHECK';
      exec: string[] | undefined;
      options: Record<string, string>;
      line: number;
    }
  | { kind: 'STOPSIGNAL'; signal: string; line: number }
  | { kind: 'LABEL'; line: number };

export interface Stage {
  /** The image or earlier stage it starts from. */
  from: string;
  name?: string;
  index: number;
  instructions: Instruction[];
}

export interface Dockerfile {
  file: string;
  /** ARGs declared before the first FROM. */
  globalArgs: Map<string, string | undefined>;
  stages: Stage[];
}

/** Joins continuation lines, drops comments and blank lines; keeps each instruction's line. */
function logicalLines(text: string): { text: string; line: number }[] {
  const out: { text: string; line: number }[] = [];
  let current: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (/^\s*#/.test(line) || (!current && !line.trim())) return;
    const continued = /\\\s*$/.test(line);
    const body = continued ? line.replace(/\\\s*$/, '') : line;
    if (current) current.text += ` ${body.trim()}`;
    else current = { text: body.trim(), line: i + 1 };
    if (!continued) {
      out.push(current);
      current = undefined;
    }
  });
  if (current) out.push(current);
  return out;
}

/** Splits leading `--name=value` flags off an instruction's arguments. */
function takeFlags(args: string): { flags: [string, string][]; rest: string } {
  const flags: [string, string][] = [];
  let rest = args;
  for (;;) {
    const match = /^--([\w-]+)(?:=(\S*))?\s+/.exec(rest);
    if (!match) break;
    flags.push([match[1]!, match[2] ?? '']);
    rest = rest.slice(match[0].length);
  }
  return { flags, rest: rest.trim() };
}

function execForm(rest: string): string[] | undefined {
  if (!rest.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(rest);
  if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) {
    throw new Error(`not a JSON list of strings: ${rest}`);
  }
  return parsed as string[];
}

/** `a=1 b="two words"` → pairs (the legacy `ENV a 1` form too). */
function keyValues(rest: string): [string, string][] {
  if (!/^[\w.-]+=/.test(rest)) {
    const [key, ...value] = rest.split(/\s+/);
    return [[key!, value.join(' ')]];
  }
  const pairs: [string, string][] = [];
  const re = /([\w.-]+)=("((?:[^"\\]|\\.)*)"|'([^']*)'|(\S*))\s*/g;
  let match: RegExpExecArray | null;
  while ((match = re.exec(rest))) {
    const value =
      match[3] !== undefined ? match[3].replace(/\\(.)/g, '$1') : (match[4] ?? match[5]);
    pairs.push([match[1]!, value ?? '']);
  }
  return pairs;
}

export function parseDockerfile(file: string): Dockerfile {
  const globalArgs = new Map<string, string | undefined>();
  const stages: Stage[] = [];
  for (const { text, line } of logicalLines(readFileSync(file, 'utf8'))) {
    const match = /^(\w+)\s*(.*)$/.exec(text);
    if (!match) throw new Error(`${file}:${line}: cannot read "${text}"`);
    const keyword = match[1]!.toUpperCase();
    const args = match[2]!.trim();
    const where = `${file}:${line}`;
    const stage = stages[stages.length - 1];
    const { flags, rest } = takeFlags(args);
    const flag = (name: string) => flags.find(([n]) => n === name)?.[1];
    const allowFlags = (...names: string[]) => {
      for (const [name] of flags) {
        if (!names.includes(name))
          throw new Error(`${where}: ${keyword} --${name} is not supported`);
      }
    };

    if (keyword === 'FROM') {
      allowFlags();
      const from = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest);
      if (!from) throw new Error(`${where}: cannot read FROM ${rest}`);
      stages.push({ from: from[1]!, name: from[2], index: stages.length, instructions: [] });
      stages[stages.length - 1]!.instructions.push({
        kind: 'FROM',
        image: from[1]!,
        stage: from[2],
        line,
      });
      continue;
    }
    if (keyword === 'ARG' && !stage) {
      const [name, value] = rest.split('=', 2) as [string, string | undefined];
      globalArgs.set(name, value);
      continue;
    }
    if (!stage) throw new Error(`${where}: ${keyword} before the first FROM`);
    const push = (instruction: Instruction) => stage.instructions.push(instruction);

    switch (keyword) {
      case 'WORKDIR':
        allowFlags();
        push({ kind: 'WORKDIR', path: rest, line });
        break;
      case 'COPY': {
        allowFlags('from', 'chown', 'link');
        const parts = execForm(rest) ?? rest.split(/\s+/);
        if (parts.length < 2) throw new Error(`${where}: COPY needs a source and a destination`);
        push({
          kind: 'COPY',
          sources: parts.slice(0, -1),
          dest: parts[parts.length - 1]!,
          from: flag('from'),
          chown: flag('chown'),
          line,
        });
        break;
      }
      case 'RUN': {
        allowFlags('mount');
        const cacheMounts: string[] = [];
        for (const [name, value] of flags) {
          if (name !== 'mount') continue;
          const opts = Object.fromEntries(value.split(',').map((kv) => kv.split('=', 2)));
          if (opts.type !== 'cache' || !opts.target) {
            throw new Error(`${where}: only --mount=type=cache,target=... is supported`);
          }
          cacheMounts.push(opts.target);
        }
        const exec = execForm(rest);
        push({ kind: 'RUN', command: exec ? exec.join(' ') : rest, cacheMounts, line });
        break;
      }
      case 'ENV':
        allowFlags();
        push({ kind: 'ENV', vars: keyValues(rest), line });
        break;
      case 'ARG': {
        const [name, value] = rest.split('=', 2) as [string, string | undefined];
        push({ kind: 'ARG', name, value, line });
        break;
      }
      case 'USER':
        push({ kind: 'USER', user: rest, line });
        break;
      case 'EXPOSE':
        push({ kind: 'EXPOSE', ports: rest.split(/\s+/), line });
        break;
      case 'CMD':
      case 'ENTRYPOINT': {
        const exec = execForm(rest);
        push({ kind: keyword, exec, shell: exec ? undefined : rest, line });
        break;
      }
      case 'HEALTHCHECK': {
        allowFlags('interval', 'timeout', 'start-period', 'start-interval', 'retries');
        if (/^NONE$/i.test(rest)) {
          push({ kind: 'HEALTHCHECK', exec: undefined, options: {}, line });
          break;
        }
        const cmd = /^CMD\s+(.*)$/i.exec(rest);
        if (!cmd) throw new Error(`${where}: HEALTHCHECK needs CMD`);
        const exec = execForm(cmd[1]!) ?? ['/bin/sh', '-c', cmd[1]!];
        push({ kind: 'HEALTHCHECK', exec, options: Object.fromEntries(flags), line });
        break;
      }
      case 'STOPSIGNAL':
        push({ kind: 'STOPSIGNAL', signal: rest, line });
        break;
      case 'LABEL':
        push({ kind: 'LABEL', line });
        break;
      default:
        throw new Error(`${where}: ${keyword} is outside what the Dockerfile replay supports`);
    }
  }
  if (!stages.length) throw new Error(`${file}: no FROM`);
  return { file, globalArgs, stages };
}

/** The stage a build without --target produces (the last), or the one named `target`. */
export function targetStage(dockerfile: Dockerfile, target?: string): Stage {
  const stage = target
    ? dockerfile.stages.find((s) => s.name === target)
    : dockerfile.stages[dockerfile.stages.length - 1];
  if (!stage) throw new Error(`${dockerfile.file}: no stage ${target}`);
  return stage;
}

/** The stage a `FROM x` or `COPY --from=x` names: a stage name or index, else undefined. */
export function stageNamed(dockerfile: Dockerfile, ref: string, before: number): Stage | undefined {
  const found = /^\d+$/.test(ref)
    ? dockerfile.stages[Number(ref)]
    : dockerfile.stages.find((s) => s.name === ref);
  return found && found.index < before ? found : undefined;
}

/** What the final image runs: ENTRYPOINT + CMD as Docker combines them, with its ENV and USER. */
export interface ImageConfig {
  entrypoint?: string[];
  cmd?: string[];
  /** True when CMD or ENTRYPOINT uses the shell form: /bin/sh -c is PID 1, not the program. */
  shellForm: boolean;
  env: Record<string, string>;
  user?: string;
  workdir: string;
  exposed: string[];
  healthcheck?: { exec: string[]; options: Record<string, string> };
  stopSignal?: string;
}
