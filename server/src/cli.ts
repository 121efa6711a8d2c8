// fluxenv: the engine of the editor extension, for scripts and CI.
import * as fs from 'fs';
import * as path from 'path';
import { formatJson, formatSarif, formatText, toCheckFindings } from './checkReport';
import { FleetIndex } from './fleet/fleetIndex';
import { renderKustomization } from './kustomize/render';
import { allRules, runRules } from './rules/run';
import type { Problem } from './kustomize/types';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

const USAGE = `Usage: fluxenv <command> [options]

Commands:
  check [folder]    Check a fleet repository with every rule, as the editor does
  render <folder>   Render a kustomization folder, like 'kubectl kustomize <folder>'
  help [command]    Show help

Run 'fluxenv <command> --help' for the options of a command.
`;

const RENDER_HELP = `Usage: fluxenv render [folder] [options]

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
  -h, --help                 Show this help.

Exit status: 0 rendered; 1 the kustomization has errors (printed to standard error as
'file:line:col: message'); 2 bad usage.
`;

const CHECK_HELP = `Usage: fluxenv check [folder] [options]

Check the fleet repository at <folder> (default: the current folder) with every rule of the catalogue:
the same findings, at the same places, as the editor shows. Rule severities come from the repository's
.fluxenv.yaml ('rules: { <rule-id>: off|error|warning|info|hint }'); '# fluxenv-disable-next-line <id>'
in a file suppresses one occurrence.

Options:
  --format text|json|sarif   'text' (default): 'file:line:col: severity message [rule]' lines;
                             'json': an array of {rule, severity, file, line, column, endLine, endColumn,
                             message} (1-based, files relative to <folder>); 'sarif': SARIF 2.1.0 for code
                             scanning.
  -o, --output <file>        Write the report to <file> instead of standard output.
  -h, --help                 Show this help.

Exit status: 0 no errors (warnings and notes allowed); 1 at least one error; 2 bad usage or an internal
failure.
`;

const VERSION = '0.1.0';

class UsageError extends Error {}

interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Parses `--flag value`, `--flag=value` and boolean flags; `valued` lists the flags that take a value. */
function parseArgs(argv: string[], valued: Set<string>, boolean: Set<string>, aliases: Record<string, string> = {}): ParsedArgs {
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

/** `file:line:col: message`, 1-based, the file relative to the working folder when inside it. */
export function formatProblem(p: Problem, cwd: string): string {
  const rel = path.relative(cwd, p.file);
  const file = rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : p.file;
  const line = (p.range?.start.line ?? 0) + 1;
  const col = (p.range?.start.character ?? 0) + 1;
  return `${file}:${line}:${col}: ${p.severity === 'error' ? 'error' : 'warning'}: ${p.message}`;
}

function render(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, new Set(['reorder', 'load-restrictor', 'output']), new Set(['enable-managedby-label', 'help']), {
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
  const out = renderKustomization(folder, {
    reorder,
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

function check(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, new Set(['format', 'output']), new Set(['help']), { '-o': '--output', '-h': '--help' });
  if (args.flags.has('help')) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('check takes one folder');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const folder = path.resolve(io.cwd, args.positional[0] ?? '.');
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`'${args.positional[0] ?? '.'}' is not a folder`);
  const index = new FleetIndex(folder);
  index.scan();
  const { diagnostics, failures, configProblems } = runRules(index);
  for (const p of configProblems) io.stderr(formatProblem(p, io.cwd) + '\n');
  for (const f of failures) io.stderr(`fluxenv: rule ${f.rule} failed: ${f.error}\n`);
  const findings = toCheckFindings(diagnostics, index.root);
  const report = format === 'json' ? formatJson(findings) : format === 'sarif' ? formatSarif(findings, allRules(), VERSION) : formatText(findings);
  const output = args.flags.get('output');
  if (typeof output === 'string') fs.writeFileSync(path.resolve(io.cwd, output), report);
  else io.stdout(report);
  if (failures.length > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'render':
        return render(rest, io);
      case 'check':
        return check(rest, io);
      case '--version':
        io.stdout(VERSION + '\n');
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        if (rest[0] === 'render') io.stdout(RENDER_HELP);
        else if (rest[0] === 'check') io.stdout(CHECK_HELP);
        else io.stdout(USAGE);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`fluxenv: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    io.stderr(`fluxenv: internal error: ${(e as Error).stack ?? e}\n`);
    return 2;
  }
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
  };
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`fluxenv: internal error: ${e}\n`);
      process.exitCode = 2;
    },
  );
}
