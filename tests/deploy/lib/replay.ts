import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import {
  chmodSync,
  copyFileSync,
  createWriteStream,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  unlinkSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import {
  parseDockerfile,
  stageNamed,
  targetStage,
  type Dockerfile,
  type ImageConfig,
  type Stage,
} from './dockerfile.js';
import { DockerIgnore } from './dockerignore.js';

/**
 * Replays a Dockerfile without Docker: each stage is a folder standing for the image's root
 * file system, filled as the build would fill it. COPY copies exactly what the line names, from
 * the build context (the repository, less what .dockerignore keeps out) or from an earlier
 * stage's folder; RUN runs with bash in the stage's WORKDIR; ENV, USER, CMD, ENTRYPOINT and
 * HEALTHCHECK are recorded. A base image is an empty folder, with this machine's Node.js
 * standing in for the image's (its major version must match). So a file the Dockerfile forgets
 * to copy, or a dependency it does not install, is missing here as it would be in the image.
 *
 * Like Docker's layer cache, the state after each RUN is kept under a key made of the stage's
 * instructions so far and the content of everything they copied: Dockerfiles that share their
 * first lines (our `deps` stage) install once per test run.
 */

export interface ReplayOptions {
  /** The build context (the repository root). */
  context: string;
  /** Progress lines (one per instruction). */
  log?: (line: string) => void;
}

export interface BuiltImage {
  dockerfile: Dockerfile;
  stage: Stage;
  /** The folder standing for the image's `/`. */
  root: string;
  config: ImageConfig;
}

interface StageState {
  root: string;
  key: string;
  workdir: string;
  env: Record<string, string>;
  args: Record<string, string>;
  user?: string;
  cmd?: string[];
  entrypoint?: string[];
  shellForm: boolean;
  exposed: string[];
  healthcheck?: { exec: string[]; options: Record<string, string> };
  stopSignal?: string;
}

const hash = (...parts: string[]): string => {
  const h = createHash('sha256');
  for (const part of parts) h.update(part).update('\0');
  return h.digest('hex').slice(0, 24);
};

/**
 * Copies a tree with `cp -a`: modes, symlinks (npm's .bin and workspace links) kept. With
 * `hardLinks`, files are linked rather than copied (for the layer cache's snapshots: no file of a
 * stage is ever rewritten in place, since COPY replaces files and a stage restored from the cache
 * is a real copy).
 */
function copyTree(from: string, to: string, hardLinks = false): void {
  mkdirSync(dirname(to), { recursive: true });
  const args = hardLinks ? ['-a', '-l', from, to] : ['-a', '--reflink=auto', from, to];
  const result = spawnSync('cp', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`cp ${from} ${to}: ${result.stderr}`);
}

export class DockerfileReplayer {
  readonly workDir: string;
  private readonly cacheDir: string;
  private readonly ignore: DockerIgnore;
  private readonly contentHashes = new Map<string, string>();
  private counter = 0;
  /** Every RUN met, and whether the layer cache answered it. */
  readonly runs: { command: string; cached: boolean }[] = [];

  constructor(private readonly options: ReplayOptions) {
    this.workDir = mkdtempSync(join(tmpdir(), 'dockerfile-replay-'));
    // The image's unprivileged user must be able to reach its files, as in a real image.
    chmodSync(this.workDir, 0o755);
    this.cacheDir = join(this.workDir, 'layers');
    mkdirSync(this.cacheDir);
    this.ignore = DockerIgnore.load(join(options.context, '.dockerignore'));
  }

  cleanup(): void {
    rmSync(this.workDir, { recursive: true, force: true });
  }

  /** Builds the Dockerfile's last stage (or `target`) and everything it depends on. */
  build(dockerfilePath: string, target?: string): BuiltImage {
    const dockerfile = parseDockerfile(dockerfilePath);
    const stage = targetStage(dockerfile, target);
    const built = new Map<number, StageState>();
    const state = this.buildStage(dockerfile, stage, built);
    // The other stages' folders are done with (the layer cache keeps what it needs).
    for (const [index, other] of built) {
      if (index !== stage.index) rmSync(other.root, { recursive: true, force: true });
    }
    return {
      dockerfile,
      stage,
      root: state.root,
      config: {
        entrypoint: state.entrypoint,
        cmd: state.cmd,
        shellForm: state.shellForm,
        env: state.env,
        user: state.user,
        workdir: state.workdir,
        exposed: state.exposed,
        healthcheck: state.healthcheck,
        stopSignal: state.stopSignal,
      },
    };
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  private buildStage(
    dockerfile: Dockerfile,
    stage: Stage,
    built: Map<number, StageState>,
  ): StageState {
    const done = built.get(stage.index);
    if (done) return done;
    const where = (line: number) => `${relative(this.options.context, dockerfile.file)}:${line}`;
    const root = join(this.workDir, `stage-${++this.counter}-${stage.name ?? stage.index}`);
    let state: StageState;

    const base = stageNamed(dockerfile, stage.from, stage.index);
    if (base) {
      const parent = this.buildStage(dockerfile, base, built);
      copyTree(parent.root, root);
      state = structuredClone({ ...parent, root });
      state.root = root;
    } else {
      const image = this.substitute(
        stage.from,
        Object.fromEntries([...dockerfile.globalArgs].map(([k, v]) => [k, v ?? ''])),
      );
      assertNodeImage(image, where(stage.instructions[0]!.line));
      mkdirSync(root, { recursive: true });
      chmodSync(root, 0o755);
      state = {
        root,
        key: hash('FROM', image),
        workdir: '/',
        env: {},
        args: {},
        shellForm: false,
        exposed: [],
      };
    }

    for (const instruction of stage.instructions.slice(1)) {
      const at = where(instruction.line);
      const vars = { ...state.args, ...state.env };
      switch (instruction.kind) {
        case 'WORKDIR': {
          state.workdir = posix.resolve(state.workdir, this.substitute(instruction.path, vars));
          mkdirSync(this.inStage(state, state.workdir), { recursive: true });
          state.key = hash(state.key, 'WORKDIR', state.workdir);
          break;
        }
        case 'ENV':
          for (const [name, value] of instruction.vars)
            state.env[name] = this.substitute(value, vars);
          state.key = hash(state.key, 'ENV', JSON.stringify(instruction.vars));
          break;
        case 'ARG':
          state.args[instruction.name] =
            instruction.value ?? dockerfile.globalArgs.get(instruction.name) ?? '';
          state.key = hash(state.key, 'ARG', instruction.name, state.args[instruction.name]!);
          break;
        case 'COPY': {
          const fromStage = instruction.from
            ? stageNamed(dockerfile, instruction.from, stage.index)
            : undefined;
          if (instruction.from && !fromStage) {
            throw new Error(`${at}: COPY --from=${instruction.from} names no earlier stage`);
          }
          const fromState = fromStage ? this.buildStage(dockerfile, fromStage, built) : undefined;
          const sources = instruction.sources.map((s) => this.substitute(s, vars));
          const dest = this.substitute(instruction.dest, vars);
          const contentKey = this.copy(state, sources, dest, fromState, at);
          state.key = hash(state.key, 'COPY', JSON.stringify(sources), dest, contentKey);
          this.log(`${at} COPY ${sources.join(' ')} ${dest}`);
          break;
        }
        case 'RUN': {
          state.key = hash(
            state.key,
            'RUN',
            instruction.command,
            JSON.stringify(instruction.cacheMounts),
          );
          const cached = join(this.cacheDir, state.key);
          if (existsSync(cached)) {
            rmSync(state.root, { recursive: true, force: true });
            copyTree(cached, state.root);
            this.runs.push({ command: instruction.command, cached: true });
            this.log(`${at} RUN ${instruction.command} (cached)`);
          } else {
            this.log(`${at} RUN ${instruction.command}`);
            this.run(state, instruction.command, instruction.cacheMounts, at);
            this.runs.push({ command: instruction.command, cached: false });
            copyTree(state.root, cached, true);
          }
          break;
        }
        case 'USER':
          state.user = this.substitute(instruction.user, vars);
          break;
        case 'EXPOSE':
          state.exposed.push(...instruction.ports);
          break;
        case 'CMD':
          state.cmd = instruction.exec ?? [instruction.shell!];
          state.shellForm = !instruction.exec;
          break;
        case 'ENTRYPOINT':
          state.entrypoint = instruction.exec ?? [instruction.shell!];
          state.shellForm = !instruction.exec;
          state.cmd = undefined;
          break;
        case 'HEALTHCHECK':
          state.healthcheck = instruction.exec
            ? { exec: instruction.exec, options: instruction.options }
            : undefined;
          break;
        case 'STOPSIGNAL':
          state.stopSignal = instruction.signal;
          break;
        case 'LABEL':
        case 'FROM':
          break;
      }
    }
    built.set(stage.index, state);
    return state;
  }

  /** `$VAR` and `${VAR}` as Docker expands them in ENV, WORKDIR, COPY, USER and FROM. */
  private substitute(text: string, vars: Record<string, string>): string {
    return text.replace(
      /\$\{(\w+)\}|\$(\w+)/g,
      (_m, a?: string, b?: string) => vars[(a ?? b)!] ?? '',
    );
  }

  private inStage(state: StageState, path: string): string {
    const absolute = posix.resolve(state.workdir, path);
    return join(state.root, absolute);
  }

  /**
   * Docker's COPY: a file lands at `dest` (or inside it when `dest` ends with `/`), a folder's
   * contents are merged into `dest`. A source that is missing (or left out by .dockerignore)
   * fails the build. Returns a hash of what was copied, for the layer cache.
   */
  private copy(
    state: StageState,
    sources: string[],
    dest: string,
    from: StageState | undefined,
    at: string,
  ): string {
    if (sources.length > 1 && !dest.endsWith('/')) {
      throw new Error(`${at}: COPY with several sources needs a destination ending in /`);
    }
    const contentHashes: string[] = [];
    for (const source of sources) {
      if (/[*?[]/.test(source)) throw new Error(`${at}: wildcards in COPY are not replayed`);
      let sourcePath: string;
      if (from) {
        sourcePath = join(from.root, posix.resolve(from.workdir, source));
      } else {
        const inContext = posix.normalize(source).replace(/^\/+/, '').replace(/\/+$/, '');
        if (inContext.startsWith('..')) throw new Error(`${at}: ${source} is outside the context`);
        if (inContext && inContext !== '.' && this.ignore.ignores(inContext)) {
          throw new Error(`${at}: COPY ${source}: excluded by .dockerignore`);
        }
        sourcePath = join(this.options.context, inContext);
      }
      if (!existsSync(sourcePath)) {
        throw new Error(
          `${at}: COPY ${source}: not found${from ? ' in that stage' : ' in the context'}`,
        );
      }
      const isDir = lstatSync(sourcePath).isDirectory();
      const target = this.inStage(state, dest);
      const files: string[] = [];
      if (isDir) {
        this.copyDir(
          sourcePath,
          target,
          from ? undefined : relative(this.options.context, sourcePath),
          files,
        );
      } else {
        const file = dest.endsWith('/') ? join(target, posix.basename(source)) : target;
        this.copyFile(sourcePath, file);
        files.push(sourcePath);
      }
      contentHashes.push(
        hash(source, ...files.map((f) => `${relative(sourcePath, f)}:${this.fileHash(f)}`)),
      );
    }
    return hash(...contentHashes);
  }

  /** Copies a folder's contents; from the context, what .dockerignore excludes is left out. */
  private copyDir(
    from: string,
    to: string,
    contextPath: string | undefined,
    files: string[],
  ): void {
    mkdirSync(to, { recursive: true });
    for (const entry of readdirSync(from, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const childContext =
        contextPath === undefined ? undefined : posix.join(contextPath, entry.name);
      if (childContext !== undefined && this.ignore.ignores(childContext)) continue;
      const source = join(from, entry.name);
      const target = join(to, entry.name);
      if (entry.isDirectory()) this.copyDir(source, target, childContext, files);
      else {
        this.copyFile(source, target);
        files.push(source);
      }
    }
  }

  private copyFile(from: string, to: string): void {
    mkdirSync(dirname(to), { recursive: true });
    if (existsSync(to) || isDanglingLink(to)) unlinkSync(to);
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), to);
    else copyFileSync(from, to);
  }

  private fileHash(file: string): string {
    let known = this.contentHashes.get(file);
    if (!known) {
      known = lstatSync(file).isSymbolicLink()
        ? hash('link', readlinkSync(file))
        : createHash('sha256').update(readFileSync(file)).digest('hex');
      this.contentHashes.set(file, known);
    }
    return known;
  }

  /**
   * RUN: bash in the stage's WORKDIR with the stage's ENV. A cache mount for npm's cache is this
   * machine's npm cache (installs prefer it, as BuildKit's mount would); the registry settings of
   * this machine apply. A command naming an absolute path would reach outside the stage's folder
   * (this machine's /app, say), so it is refused rather than replayed.
   */
  private run(state: StageState, command: string, cacheMounts: string[], at: string): void {
    for (const token of command.split(/[\s'"=]+/)) {
      if (token.startsWith('/') && token !== '/dev/null') {
        throw new Error(`${at}: RUN names the absolute path ${token}, which the replay cannot map`);
      }
    }
    const home = join(state.root, 'root');
    mkdirSync(home, { recursive: true });
    const npmCache = cacheMounts.some((m) => m === '/root/.npm')
      ? hostNpmCache()
      : join(home, '.npm');
    const userConfig = join(homedir(), '.npmrc');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: home,
      npm_config_cache: npmCache,
      npm_config_prefer_offline: 'true',
      npm_config_update_notifier: 'false',
      ...(existsSync(userConfig) ? { npm_config_userconfig: userConfig } : {}),
      ...state.args,
      ...state.env,
    };
    const cwd = this.inStage(state, state.workdir);
    const result = spawnSync('bash', ['-euo', 'pipefail', '-c', command], {
      cwd,
      env,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      timeout: 20 * 60_000,
    });
    if (result.status !== 0) {
      const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
        .trim()
        .split('\n')
        .slice(-40)
        .join('\n');
      throw new Error(
        `${at}: RUN ${command} failed (${result.status ?? result.signal}):\n${output}`,
      );
    }
  }
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

let npmCacheDir: string | undefined;
function hostNpmCache(): string {
  npmCacheDir ??= spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).stdout.trim();
  return npmCacheDir;
}

/** The replay runs the image's `node` with this machine's: the major versions must agree. */
function assertNodeImage(image: string, at: string): void {
  const match = /^(?:docker\.io\/)?(?:library\/)?node:(\d+)/.exec(image);
  if (!match) throw new Error(`${at}: FROM ${image}: only node:<version> base images are replayed`);
  const host = process.versions.node.split('.')[0];
  if (match[1] !== host) {
    throw new Error(
      `${at}: FROM ${image} but this machine runs Node.js ${host}: the replay would not be faithful`,
    );
  }
}

// ---- running a replayed image ------------------------------------------------------------------

export interface RunOptions {
  env: Record<string, string>;
  /** emptyDir volumes: absolute paths in the container, made empty and writable. */
  writablePaths?: string[];
  logFile: string;
}

export interface RunningContainer {
  child: ChildProcess;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** Runs `argv` as HEALTHCHECK would (same user, env, folder); resolves with its exit code. */
  exec(argv: string[]): Promise<number>;
}

/** Who the image runs as: `node` is uid 1000 in the official images; numbers are taken as they are. */
export function resolveUser(user: string | undefined): { uid: number; gid: number } | undefined {
  if (!user) return undefined;
  const [name, group] = user.split(':') as [string, string | undefined];
  const known: Record<string, number> = { root: 0, node: 1000 };
  const uid = /^\d+$/.test(name) ? Number(name) : known[name];
  if (uid === undefined) throw new Error(`USER ${user}: unknown user`);
  const gid = group === undefined ? uid : /^\d+$/.test(group) ? Number(group) : known[group];
  if (gid === undefined) throw new Error(`USER ${user}: unknown group`);
  return { uid, gid };
}

/**
 * Starts the image's command as a container would: in its WORKDIR, with its ENV plus `env`, as
 * its USER. When this process is root, the command runs under that uid, so the image's files
 * (owned by root) are read-only to it, as with a read-only root file system; only
 * `writablePaths` (the Deployment's emptyDir mounts, mapped into the image's folder) are
 * writable, and TMPDIR points at the image's /tmp.
 */
export function runImage(image: BuiltImage, options: RunOptions): RunningContainer {
  const { config, root } = image;
  const argv = [...(config.entrypoint ?? []), ...(config.cmd ?? [])];
  if (!argv.length) throw new Error('the image has no CMD or ENTRYPOINT');
  const command = config.shellForm ? ['/bin/sh', '-c', argv.join(' ')] : argv;

  for (const path of options.writablePaths ?? []) {
    const dir = join(root, path);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o1777);
  }
  const tmp = join(root, 'tmp');
  mkdirSync(tmp, { recursive: true });
  const home = join(root, 'home', 'node');
  mkdirSync(home, { recursive: true });

  const user = resolveUser(config.user);
  const asUser = user && process.getuid?.() === 0 && user.uid !== 0;
  const wrap = (args: string[]) =>
    asUser
      ? ['setpriv', `--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', '--', ...args]
      : args;
  const env = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: home,
    TMPDIR: tmp,
    ...config.env,
    ...options.env,
  };
  const cwd = join(root, config.workdir);
  const log = createWriteStream(options.logFile, { flags: 'a' });
  const [file, ...args] = wrap(command);
  const child = spawn(file!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(log, { end: false });
  child.stderr?.pipe(log, { end: false });
  const exited = once(child, 'exit').then(([code, signal]) => {
    log.end();
    return (code as number | null) ?? (signal as string);
  });
  return {
    child,
    exited,
    async exec(execArgv: string[]) {
      const [execFile, ...rest] = wrap(execArgv);
      const probe = spawn(execFile!, rest, { cwd, env, stdio: 'ignore' });
      const [code] = (await once(probe, 'exit')) as [number | null];
      return code ?? -1;
    },
  };
}
