// One glob pattern as a RegExp, in the dialect of Go's `path.Match` (`*` and `?` never match `/`, `[...]`
// classes with `^` negation, `\` escapes) and its two relatives the project meets: doublestar's per-segment
// matching (`[!...]` negates too, a stray `]` is a literal) and drone/envsubst's `${var#pattern}` trims (a
// stray `]` is a literal). Used by ArtifactGenerator copy rules (flux/artifactGlob.ts) and postBuild
// substitution (flux/envsubst.ts).

export class GlobSyntaxError extends Error {}

export interface GlobDialect {
  /** `[!...]` negates as `[^...]` does (doublestar). */
  bangNegates?: boolean;
  /** A `]` outside a class: a literal (doublestar, envsubst), or a syntax error (Go's path.Match). */
  strayCloseBracket?: 'literal' | 'error';
}

/** The RegExp matching exactly what the pattern matches; throws GlobSyntaxError where the dialect refuses it. */
export function globRegExp(pattern: string, dialect: GlobDialect = {}): RegExp {
  const fail = (why: string) => {
    throw new GlobSyntaxError(`syntax error in pattern '${pattern}': ${why}`);
  };
  // Unicode mode: `?` and a class take one code point, as Go takes one rune.
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '\\') {
      if (i + 1 >= pattern.length) fail('it ends with a backslash');
      out += literal(pattern[++i]);
    } else if (c === '[') {
      let j = i + 1;
      let cls = '';
      if (pattern[j] === '^' || (dialect.bangNegates && pattern[j] === '!')) {
        cls += '^';
        j++;
      }
      let closed = false;
      let first = true;
      for (; j < pattern.length; j++) {
        const d = pattern[j];
        if (d === ']' && !first) {
          closed = true;
          break;
        }
        first = false;
        if (d === '\\') {
          if (j + 1 >= pattern.length) break;
          cls += inClass(pattern[++j]);
        } else if (d === '-') cls += '-';
        else cls += inClass(d);
      }
      if (!closed) fail("'[' is never closed");
      if (cls === '' || cls === '^') fail('a character class must not be empty');
      out += `[${cls}]`;
      i = j;
    } else if (c === ']' && dialect.strayCloseBracket === 'error') fail("']' without '['");
    else out += literal(c);
  }
  try {
    return new RegExp(`^${out}$`, 'su');
  } catch (error) {
    // A range written backwards (`[z-a]`): Go refuses it too.
    throw new GlobSyntaxError(`syntax error in pattern '${pattern}': ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** A character outside a class; in unicode mode only syntax characters may be escaped. */
function literal(c: string): string {
  return /[\^$\\.*+?()[\]{}|/]/.test(c) ? `\\${c}` : c;
}

/** A character inside a class: `-` escaped too, so it is never a range there. */
function inClass(c: string): string {
  return /[\^\\\][-]/.test(c) ? `\\${c}` : c;
}
