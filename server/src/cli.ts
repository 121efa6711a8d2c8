// fluxenv: the engine of the editor extension, for scripts and CI. `render` and what every command shares
// are in cliRender.ts (see there why).
import * as fs from 'fs';
import * as path from 'path';
import { failureDiagnostic, formatJson, formatSarif, formatText, INTERNAL_ERROR_DESCRIPTOR, toCheckFindings } from './checkReport';
import { FleetIndex } from './fleet/fleetIndex';
import { formatProblem, limitsArgument, shownFile, parseArgs, render, RENDER_HELP, runGuarded, UsageError, USAGE, VERSION, type CliIo, type ParsedArgs } from './cliRender';
import type { Rule } from './rules/rule';
import { allRules, runRules } from './rules/run';
import { DEFAULT_PROMOTION_SETTINGS, promote as runPromotion, promotionHistory, revertPromotion, type PromotionOutcome, type PromotionSettings } from './promote/flow';

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
  return runGuarded(() => {
    switch (command) {
      case 'render':
        return render(rest, io);
      case 'check':
        return check(rest, io);
      case 'promote':
        return promoteCommand(rest, io);
      case 'history':
        return historyCommand(rest, io);
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
  }, io);
}
