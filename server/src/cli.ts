// fluxenv: the engine of the editor extension, for scripts and CI.
import * as fs from 'fs';
import * as path from 'path';
import * as readline from 'readline';
import { failureDiagnostic, formatJson, formatSarif, formatText, INTERNAL_ERROR_DESCRIPTOR, toCheckFindings } from './checkReport';
import { FleetIndex } from './fleet/fleetIndex';
import { renderKustomization } from './kustomize/render';
import { resolveLimits, type EngineLimits } from './limits';
import type { Rule } from './rules/rule';
import { allRules, runRules } from './rules/run';
import { DEFAULT_PROMOTION_SETTINGS, promote as runPromotion, promotionHistory, revertPromotion, type PromotionOutcome, type PromotionSettings } from './promote/flow';
import type { Problem } from './kustomize/types';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Asks the user a question and returns the answer line; absent when nobody can answer (no terminal). */
  prompt?: (question: string) => Promise<string>;
}

const USAGE = `Usage: fluxenv <command> [options]

Commands:
  check [folder]    Check a fleet repository with every rule, as the editor does
  render <folder>   Render a kustomization folder, like 'kubectl kustomize <folder>'
  promote           Promote versions from one environment to the next, as a reviewable git change
  history           List promotions (commits and tags), newest first
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
  --limits <json>            Bounds on the YAML read and the render time (not a kubectl flag), e.g.
                             '{"parse":{"maxFileBytes":1048576},"render":{"renderTimeBudgetMs":10000}}'.
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
  --limits <json>            Bounds on what the repository may make the check do, as the editor's
                             fluxEnvironments.limits setting, e.g. '{"parse":{"maxDocuments":100},
                             "scan":{"maxFiles":100000}}'; groups parse, scan and render. A file or
                             render past a limit is a finding, not a crash.
  -h, --help                 Show this help.

Exit status: 0 no errors (warnings and notes allowed); 1 at least one error; 2 bad usage or an internal
failure (a rule that failed is also reported, as an 'internal-error' warning on the file it was checking).
`;

const PROMOTE_HELP = `Usage: fluxenv promote --from <env> --to <env> [options]
       fluxenv promote --revert <commit> [options]

Move what runs in <from> to <to>. The strategy is read from the repository: when both clusters follow
the same branch, the target overlay is edited (container images, HelmRelease chart versions, source
refs; never replicas, resources or namespaces) and committed on a new branch promote/<to>/<time> with
a pull request; when the target follows its own branch, the source branch is merged into it through a
pull request; when it follows a tag or semver range, the next version tag goes on the source's commit.
Nothing is changed without a confirmation, and a failure leaves the repository as it was.

Options:
  --from <env>        The environment whose versions are promoted (e.g. staging).
  --to <env>          The environment that receives them (e.g. production).
  --revert <commit>   Revert a promotion commit (found by its trailers) through the same branch/PR flow.
  --dry-run           Print the plan and the diff of the edits; change nothing.
  --yes               Do not ask for confirmation (needed when there is no terminal).
  --push, --no-push   Push the branch/tag to the remote, or not (default: ask).
  --tag               Add an annotated tag to the promotion commit.
  --pr                Open a pull request even where a direct commit is allowed.
  --strategy overlay|branch|tag
                      Override the strategy read from the repository.
  -h, --help          Show this help.

Exit status: 0 promoted, nothing to promote, or dry run; 1 refused or failed (nothing changed), or
declined; 2 bad usage.
`;

const HISTORY_HELP = `Usage: fluxenv history [folder] [options]

List the promotions of the repository (promotion commits on every local branch, and promotion tags),
newest first: date, commit, source -> target, author, what moved, and whether it was reverted.

Options:
  --to <env>                 Only promotions into <env>.
  --format text|json         'text' (default) or a JSON array.
  -h, --help                 Show this help.

Exit status: 0 listed; 1 the folder is not a git repository; 2 bad usage.
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

/** The file relative to the working folder when inside it, else as given. */
function shownFile(file: string, cwd: string): string {
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

function render(argv: string[], io: CliIo): number {
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

/** `fluxenv check`; `rules` replaces the catalogue (tests inject a rule that throws). */
export function check(argv: string[], io: CliIo, rules?: Rule[]): number {
  const args = parseArgs(argv, new Set(['format', 'output', 'limits']), new Set(['help']), { '-o': '--output', '-h': '--help' });
  if (args.flags.has('help')) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('check takes one folder');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const folder = path.resolve(io.cwd, args.positional[0] ?? '.');
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`'${args.positional[0] ?? '.'}' is not a folder`);
  const index = new FleetIndex(folder, { limits: limitsArgument(args) });
  index.scan();
  const { diagnostics, failures, configProblems } = runRules(index, rules ? { rules } : {});
  for (const p of configProblems) io.stderr(formatProblem(p, io.cwd) + '\n');
  for (const f of failures) io.stderr(`fluxenv: rule ${f.rule} failed on ${shownFile(f.file, io.cwd)}: ${f.error}\n`);
  // A failure is also a finding, as in the editor: the report then says which file lost which rule's findings.
  const all = [...diagnostics, ...failures.map(failureDiagnostic)].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line));
  const findings = toCheckFindings(all, index.root);
  const catalogue = [...(rules ?? allRules()), ...(failures.length > 0 ? [INTERNAL_ERROR_DESCRIPTOR] : [])];
  const report = format === 'json' ? formatJson(findings) : format === 'sarif' ? formatSarif(findings, catalogue, VERSION) : formatText(findings);
  const output = args.flags.get('output');
  if (typeof output === 'string') fs.writeFileSync(path.resolve(io.cwd, output), report);
  else io.stdout(report);
  if (failures.length > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}

/** `--limits '{"parse":{"maxDocuments":100}}'`: the same object as the editor's fluxEnvironments.limits setting. */
function limitsArgument(args: ParsedArgs): EngineLimits {
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

function promotionSettings(args: ParsedArgs): PromotionSettings {
  const strategy = args.flags.get('strategy');
  if (strategy !== undefined && !['overlay', 'branch', 'tag', 'auto'].includes(strategy as string)) {
    throw new UsageError(`--strategy must be overlay, branch or tag, not '${String(strategy)}'`);
  }
  return { ...DEFAULT_PROMOTION_SETTINGS, ...(typeof strategy === 'string' ? { strategy: strategy as PromotionSettings['strategy'] } : {}) };
}

async function promoteCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, new Set(['from', 'to', 'revert', 'strategy']), new Set(['dry-run', 'yes', 'push', 'no-push', 'tag', 'pr', 'help']), { '-h': '--help', '-y': '--yes' });
  if (args.flags.has('help')) {
    io.stdout(PROMOTE_HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`promote takes no positional arguments (got '${args.positional[0]}')`);
  if (args.flags.has('push') && args.flags.has('no-push')) throw new UsageError('--push and --no-push cannot be combined');
  const revert = args.flags.get('revert');
  const from = args.flags.get('from');
  const to = args.flags.get('to');
  if (revert === undefined && (typeof from !== 'string' || typeof to !== 'string')) throw new UsageError('promote needs --from <env> and --to <env> (or --revert <commit>)');
  if (revert !== undefined && (from !== undefined || to !== undefined)) throw new UsageError('--revert cannot be combined with --from/--to');
  const settings = promotionSettings(args);
  const yes = args.flags.has('yes');
  const askYesNo = async (question: string): Promise<boolean> => {
    if (!io.prompt) return false;
    const answer = (await io.prompt(`${question} [y/N] `)).trim().toLowerCase();
    return answer === 'y' || answer === 'yes';
  };
  let noTerminal = false;
  const callbacks = {
    confirm: async (preview: { summary: string[]; diff: string }) => {
      io.stdout(preview.summary.join('\n') + '\n');
      if (preview.diff) io.stdout('\n' + preview.diff + (preview.diff.endsWith('\n') ? '' : '\n'));
      if (yes) return true;
      if (!io.prompt) {
        noTerminal = true;
        return false;
      }
      return askYesNo('Go ahead?');
    },
    ask: async (question: string) => (yes ? true : askYesNo(question)),
  };
  const request = {
    cwd: io.cwd,
    ...(args.flags.has('dry-run') ? { dryRun: true } : {}),
    ...(args.flags.has('push') ? { push: true } : args.flags.has('no-push') ? { push: false } : {}),
    ...(args.flags.has('tag') ? { tag: true } : {}),
    ...(args.flags.has('pr') ? { pullRequest: true } : {}),
  };
  const outcome: PromotionOutcome =
    typeof revert === 'string'
      ? await revertPromotion({ ...request, commit: revert }, settings, callbacks)
      : await runPromotion({ ...request, source: from as string, target: to as string }, settings, callbacks);
  switch (outcome.status) {
    case 'dry-run':
      io.stdout(outcome.preview.summary.join('\n') + '\n');
      if (outcome.preview.diff) io.stdout('\n' + outcome.preview.diff + (outcome.preview.diff.endsWith('\n') ? '' : '\n'));
      io.stdout('Dry run: nothing was changed.\n');
      return 0;
    case 'nothing':
      io.stdout(outcome.message + '\n');
      return 0;
    case 'declined':
      io.stderr(noTerminal ? 'fluxenv: no terminal to confirm on; run again with --yes. Nothing was changed.\n' : 'Cancelled. Nothing was changed.\n');
      return 1;
    case 'done':
      io.stdout(outcome.message + '\n');
      return 0;
    case 'failed':
      io.stderr(`fluxenv: ${outcome.error.message}\n`);
      return 1;
  }
}

async function historyCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, new Set(['to', 'format']), new Set(['help']), { '-h': '--help' });
  if (args.flags.has('help')) {
    io.stdout(HISTORY_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('history takes one folder');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const to = args.flags.get('to');
  const folder = path.resolve(io.cwd, args.positional[0] ?? '.');
  const history = await promotionHistory(folder, typeof to === 'string' ? { target: to } : {});
  if (!history.ok) {
    io.stderr(`fluxenv: ${history.error.message}\n`);
    return 1;
  }
  if (format === 'json') {
    io.stdout(JSON.stringify(history.value, null, 2) + '\n');
    return 0;
  }
  if (history.value.length === 0) io.stdout('No promotions yet.\n');
  for (const entry of history.value) {
    const reverted = entry.revertedBy ? `  (reverted by ${entry.revertedBy.commit.slice(0, 12)})` : '';
    const tags = entry.tags.length > 0 ? `  [${entry.tags.join(', ')}]` : '';
    io.stdout(`${entry.date}  ${entry.commit.slice(0, 12)}  ${entry.source} -> ${entry.target}  ${entry.author.name} <${entry.author.email}>${tags}${reverted}\n`);
    for (const change of entry.changes) io.stdout(`    ${change.workload}: ${change.before} -> ${change.after}\n`);
  }
  return 0;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'render':
        return render(rest, io);
      case 'check':
        return check(rest, io);
      case 'promote':
        return await promoteCommand(rest, io);
      case 'history':
        return await historyCommand(rest, io);
      case '--version':
        io.stdout(VERSION + '\n');
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        if (rest[0] === 'render') io.stdout(RENDER_HELP);
        else if (rest[0] === 'check') io.stdout(CHECK_HELP);
        else if (rest[0] === 'promote') io.stdout(PROMOTE_HELP);
        else if (rest[0] === 'history') io.stdout(HISTORY_HELP);
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

function askOnTerminal(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) => rl.question(question, (answer) => {
    rl.close();
    resolve(answer);
  }));
}

if (require.main === module) {
  const io: CliIo = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    cwd: process.cwd(),
    ...(process.stdin.isTTY ? { prompt: askOnTerminal } : {}),
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
