// What `fluxenv render` needs, apart from the rest of the CLI: dist/cli.js runs `render` with this module
// alone, so that a render process does not load the rules, the fleet index and the git code it never uses
// (a smaller bundle to compile at every start: `render` is a drop-in for `kubectl kustomize` in scripts).
import * as fs from 'fs';
import * as path from 'path';
import { renderKustomization } from './kustomize/render';
import type { Problem } from './kustomize/types';
import { resolveLimits, type EngineLimits } from './limits';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Asks the user a question and returns the answer line; absent when nobody can answer (no terminal). */
  prompt?: (question: string) => Promise<string>;
}

export const USAGE = `Usage: fluxenv <command> [options]

Commands:
  check [folder]    Check a fleet repository with every rule, as the editor does
  render <folder>   Render a kustomization folder, like 'kubectl kustomize <folder>'
  promote           Promote versions from one environment to the next, as a reviewable git change
  history           List promotions (commits and tags), newest first
  help [command]    Show help

Run 'fluxenv <command> --help' for the options of a command.
`;

export const RENDER_HELP = `Usage: fluxenv render [folder] [options]

Render the kustomization in <folder> (default: the current folder) with the built-in renderer and print
the objects as multi-document YAML, exactly as 'kubectl kustomize' prints them. Drop-in for
'kubectl kustomize': the same flags with the same meaning. Nothing is ever fetched from the network:
remote bases are reported as errors. Nothing outside the git work tree holding <folder> is read.

Options:
  --reorder legacy|none      Order of the output: 'legacy' (default) sorts kinds others depend on first
                             (Namespace, CRDs, RBAC, config ...); 'none' keeps the order of loading.
                             A 'sortOptions' field in the kustomization wins over this flag.
  --load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone
                             'LoadRestrictionsRootOnly' (default) refuses files outside the
                             kustomization's folder, as kustomize does; 'LoadRestrictionsNone' allows
                             them, as Flux's kustomize-controller does. Never outside the repository.
  --enable-managedby-label   Add the label app.kubernetes.io/managed-by to every object.
  -o, --output <file>        Write the YAML to <file> instead of standard output.
  --limits <json>            Bounds on the YAML read and the render time (not a kubectl flag), e.g.
                             '{"parse":{"maxFileBytes":1048576},"render":{"renderTimeBudgetMs":10000}}'.
  -h, --help                 Show this help.

Exit status: 0 rendered; 1 the kustomization has errors (printed to standard error as
'file:line:col: message'); 2 bad usage.
`;

export const VERSION = '0.1.0';

export class UsageError extends Error {}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Parses `--flag value`, `--flag=value` and boolean flags; `valued` lists the flags that take a value. */
export function parseArgs(argv: string[], valued: Set<string>, boolean: Set<string>, aliases: Record<string, string> = {}): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    let name = eq >= 0 ? arg.slice(0, eq) : arg;
    name = aliases[name] ?? name;
    const key = name.replace(/^--?/, '');
    if (valued.has(key)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new UsageError(`flag --${key} needs a value`);
      flags.set(key, value);
    } else if (boolean.has(key)) {
      const value = eq >= 0 ? arg.slice(eq + 1) : 'true';
      if (value !== 'true' && value !== 'false') throw new UsageError(`flag --${key} takes true or false`);
      if (value === 'true') flags.set(key, true);
      else flags.delete(key);
    } else {
      throw new UsageError(`unknown flag: ${name}`);
    }
  }
  return { positional, flags };
}

/** The file relative to the working folder when inside it, else as given. */
export function shownFile(file: string, cwd: string): string {
  const rel = path.relative(cwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** `file:line:col: message`, 1-based, the file relative to the working folder when inside it. */
export function formatProblem(p: Problem, cwd: string): string {
  const file = shownFile(p.file, cwd);
  const line = (p.range?.start.line ?? 0) + 1;
  const col = (p.range?.start.character ?? 0) + 1;
  return `${file}:${line}:${col}: ${p.severity === 'error' ? 'error' : 'warning'}: ${p.message}`;
}

export function render(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, new Set(['reorder', 'load-restrictor', 'output', 'limits']), new Set(['enable-managedby-label', 'help']), {
    '-o': '--output',
    '-h': '--help',
  });
  if (args.flags.has('help')) {
    io.stdout(RENDER_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('render takes one folder');
  const reorder = (args.flags.get('reorder') as string | undefined) ?? 'legacy';
  if (reorder !== 'legacy' && reorder !== 'none') throw new UsageError(`--reorder must be 'legacy' or 'none', not '${reorder}'`);
  const restrictor = (args.flags.get('load-restrictor') as string | undefined) ?? 'LoadRestrictionsRootOnly';
  if (restrictor !== 'LoadRestrictionsRootOnly' && restrictor !== 'LoadRestrictionsNone') {
    throw new UsageError(`--load-restrictor must be LoadRestrictionsRootOnly or LoadRestrictionsNone, not '${restrictor}'`);
  }
  const folder = path.resolve(io.cwd, args.positional[0] ?? '.');
  const limits = limitsArgument(args);
  const out = renderKustomization(folder, {
    reorder,
    parseLimits: limits.parse,
    deadline: Date.now() + limits.render.renderTimeBudgetMs,
    loadRestrictor: restrictor === 'LoadRestrictionsNone' ? 'none' : 'rootOnly',
    enableManagedByLabel: args.flags.has('enable-managedby-label'),
  });
  for (const p of out.problems) io.stderr(formatProblem(p, io.cwd) + '\n');
  if (out.yaml === undefined) return 1;
  const output = args.flags.get('output');
  if (typeof output === 'string') fs.writeFileSync(path.resolve(io.cwd, output), out.yaml);
  else io.stdout(out.yaml);
  return 0;
}

export function limitsArgument(args: ParsedArgs): EngineLimits {
  const text = args.flags.get('limits');
  if (typeof text !== 'string') return resolveLimits({});
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--limits must be a JSON object like '{"parse":{"maxDocuments":100}}': ${(e as Error).message}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new UsageError(`--limits must be a JSON object like '{"parse":{"maxDocuments":100}}'`);
  return resolveLimits(value);
}

/** Runs a command the way every command runs: bad usage prints the usage (exit 2), a crash its stack (exit 2). */
export async function runGuarded(command: () => number | Promise<number>, io: CliIo): Promise<number> {
  try {
    return await command();
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`fluxenv: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`fluxenv: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}
