// What every fluxenv command shares: the I/O it is given, argument parsing, the usage text, the version,
// how problems are printed and how a command's failure becomes an exit status. Kept small: `render` runs
// from its own bundle (see entry.ts) with this module and the renderer alone.
import * as fs from 'fs';
import * as path from 'path';
import type { Problem } from '../kustomize/types';
import { resolveLimits, type EngineLimits } from '../fleet/limits';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Asks the user a question and returns the answer line; absent when nobody can answer (no terminal). */
  prompt?: (question: string) => Promise<string>;
}

/** The commands, in the order `fluxenv --help` lists them: the one list the usage text is made from. */
export const COMMANDS: ReadonlyArray<{ name: string; synopsis: string; summary: string }> = [
  { name: 'check', synopsis: 'check [folder]', summary: 'Check a fleet repository with every rule, as the editor does' },
  { name: 'render', synopsis: 'render <folder>', summary: "Render a kustomization folder, like 'kubectl kustomize <folder>'" },
  {
    name: 'environments',
    synopsis: 'environments [folder]',
    summary: 'List the environments (clusters) and their Flux Kustomizations, as Flux applies them',
  },
  {
    name: 'build',
    synopsis: 'build [folder] --env <name>',
    summary: 'Print what an environment (or one Flux Kustomization) applies, as Flux builds it',
  },
  {
    name: 'values',
    synopsis: 'values [folder] --release <name> --env <name>',
    summary: 'Print the values a HelmRelease installs its chart with, merged as helm-controller merges them',
  },
  {
    name: 'diff',
    synopsis: 'diff [folder] [--base <rev>]',
    summary: 'Show what a change does to each environment: rendered objects added, changed, removed, moved',
  },
  { name: 'promote', synopsis: 'promote', summary: 'Promote versions from one environment to the next, as a reviewable git change' },
  { name: 'history', synopsis: 'history', summary: 'List promotions (commits and tags), newest first' },
  { name: 'help', synopsis: 'help [command]', summary: 'Show help' },
];

const synopsisWidth = Math.max(...COMMANDS.map((c) => c.synopsis.length)) + 3;

export const USAGE = `Usage: fluxenv <command> [options]

Commands:
${COMMANDS.map((c) => `  ${c.synopsis.padEnd(synopsisWidth)}${c.summary}`).join('\n')}

Run 'fluxenv <command> --help' for the options of a command.
`;

export const VERSION = '0.1.0';

export class UsageError extends Error {}

/**
 * A failure the user can fix, in one message that says what failed, which file or folder, and what to do;
 * printed without the usage text. Exit 2 unless the command says otherwise.
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
  }
}

/** The absolute folder a command was pointed at (`given`, or the working folder), which must exist. */
export function existingFolder(given: string | undefined, io: CliIo, example: string, exitCode = 2): string {
  const folder = path.resolve(io.cwd, given ?? '.');
  let kind: 'folder' | 'file' | 'missing';
  try {
    kind = fs.statSync(folder).isDirectory() ? 'folder' : 'file';
  } catch {
    kind = 'missing';
  }
  if (kind === 'missing') throw new CliError(`the folder ${folder} does not exist. Pass an existing folder, e.g. '${example}'.`, exitCode);
  if (kind === 'file') throw new CliError(`${folder} is a file, not a folder. Pass its folder, e.g. '${example}'.`, exitCode);
  return folder;
}

/** Writes a command's output to the file given with -o; a folder that does not exist or a refused write is said as such. */
export function writeOutput(file: string, text: string, io: CliIo): void {
  const target = path.resolve(io.cwd, file);
  try {
    fs.writeFileSync(target, text);
  } catch (e) {
    const reason =
      (e as NodeJS.ErrnoException).code === 'ENOENT' ? `the folder ${path.dirname(target)} does not exist` : (e as Error).message;
    throw new CliError(`could not write ${target}: ${reason}. Create the folder or choose another file with -o.`);
  }
}

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

/** `--enable-helm [--helm-command <path>]`: helm for kustomize `helmCharts`, as in kubectl (`helm` on PATH by default). */
export function helmArgument(args: ParsedArgs): { helm?: { command: string } } {
  if (!args.flags.has('enable-helm')) return {};
  return { helm: { command: (args.flags.get('helm-command') as string | undefined) ?? 'helm' } };
}

/** The help lines of --enable-helm and --helm-command for the commands that read a whole fleet, descriptions at `column`. */
export function fleetHelmHelp(column: number): string {
  const row = (flag: string, lines: string[]) =>
    lines.map((line, i) => (i === 0 ? `  ${flag}`.padEnd(column) : ' '.repeat(column)) + line + '\n').join('');
  return (
    row('--enable-helm', [
      "Render kustomize 'helmCharts' in folder builds with 'helm template', as",
      "'kubectl kustomize --enable-helm' does, from charts already in the chart",
      "home ('charts/' by default; never downloaded). A Flux Kustomization still",
      "fails on 'helmCharts': kustomize-controller never runs helm.",
    ]) + row('--helm-command <path>', ["The helm executable for --enable-helm (default: 'helm' on PATH)."])
  );
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
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new UsageError(`--limits must be a JSON object like '{"parse":{"maxDocuments":100}}'`);
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
    if (e instanceof CliError) {
      io.stderr(`fluxenv: ${e.message}\n`);
      return e.exitCode;
    }
    io.stderr(`fluxenv: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}
