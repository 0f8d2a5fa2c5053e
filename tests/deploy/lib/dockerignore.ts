import { existsSync, readFileSync } from 'node:fs';

/**
 * `.dockerignore` as Docker reads it (moby/patternmatcher): one pattern a line, `#` comments,
 * paths from the context root (a leading `/` is dropped), `*` and `?` within one path element,
 * `**` across any number of them, `!` re-including what an earlier pattern excluded. A path is
 * excluded when the last pattern matching it, or one of its parent folders, is not an exception.
 */
export class DockerIgnore {
  private readonly rules: { regex: RegExp; exception: boolean }[];

  constructor(text: string) {
    this.rules = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const exception = line.startsWith('!');
        const pattern = clean(exception ? line.slice(1).trim() : line);
        return { regex: toRegex(pattern), exception };
      });
  }

  static load(file: string): DockerIgnore {
    return new DockerIgnore(existsSync(file) ? readFileSync(file, 'utf8') : '');
  }

  /** Whether a context-relative path (with `/` separators) is left out of the context. */
  ignores(path: string): boolean {
    const parts = clean(path).split('/');
    let ignored = false;
    for (const rule of this.rules) {
      // The pattern may name the path itself or any folder above it.
      const matches = parts.some((_, i) => rule.regex.test(parts.slice(0, i + 1).join('/')));
      if (matches) ignored = !rule.exception;
    }
    return ignored;
  }
}

function clean(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (!part || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function toRegex(pattern: string): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          out += '(?:.*/)?';
        } else {
          out += '.*';
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error(`.dockerignore: unclosed [ in ${pattern}`);
      const body = pattern.slice(i + 1, end);
      out += `[${body.startsWith('!') || body.startsWith('^') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (c === '\\') {
      i++;
      out += escapeRegex(pattern[i] ?? '');
    } else {
      out += escapeRegex(c);
    }
  }
  return new RegExp(`${out}$`);
}

const escapeRegex = (s: string): string => s.replace(/[.+^${}()|[\]\\/]/g, '\\$&');
