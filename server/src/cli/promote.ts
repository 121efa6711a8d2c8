// `fluxenv promote`: plan and perform a promotion (or revert one) through the same flow as the editor.
import { promote as runPromotion } from '../promote/flow';
import { DEFAULT_PROMOTION_SETTINGS, type PromotionOutcome, type PromotionSettings } from '../promote/flowTypes';
import { revertPromotion } from '../promote/revert';
import { gitFailureMessage } from './gitFailure';
import { parseArgs, UsageError, type CliIo, type ParsedArgs } from './args';

export const PROMOTE_HELP = `Usage: fluxenv promote --from <env> --to <env> [options]
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

function promotionSettings(args: ParsedArgs): PromotionSettings {
  const strategy = args.flags.get('strategy');
  if (strategy !== undefined && !['overlay', 'branch', 'tag', 'auto'].includes(strategy as string)) {
    throw new UsageError(`--strategy must be overlay, branch or tag, not '${String(strategy)}'`);
  }
  return {
    ...DEFAULT_PROMOTION_SETTINGS,
    ...(typeof strategy === 'string' ? { strategy: strategy as PromotionSettings['strategy'] } : {}),
  };
}

export async function promoteCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(
    argv,
    new Set(['from', 'to', 'revert', 'strategy']),
    new Set(['dry-run', 'yes', 'push', 'no-push', 'tag', 'pr', 'help']),
    { '-h': '--help', '-y': '--yes' },
  );
  if (args.flags.has('help')) {
    io.stdout(PROMOTE_HELP);
    return 0;
  }
  if (args.positional.length > 0) throw new UsageError(`promote takes no positional arguments (got '${args.positional[0]}')`);
  if (args.flags.has('push') && args.flags.has('no-push')) throw new UsageError('--push and --no-push cannot be combined');
  const revert = args.flags.get('revert');
  const from = args.flags.get('from');
  const to = args.flags.get('to');
  if (revert === undefined && (typeof from !== 'string' || typeof to !== 'string'))
    throw new UsageError('promote needs --from <env> and --to <env> (or --revert <commit>)');
  if (revert !== undefined && (from !== undefined || to !== undefined))
    throw new UsageError('--revert cannot be combined with --from/--to');
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
      io.stderr(
        noTerminal
          ? 'fluxenv: no terminal to confirm on; run again with --yes. Nothing was changed.\n'
          : 'Cancelled. Nothing was changed.\n',
      );
      return 1;
    case 'done':
      io.stdout(outcome.message + '\n');
      return 0;
    case 'failed':
      io.stderr(`fluxenv: ${gitFailureMessage(outcome.error, io.cwd, 'promote')}\n`);
      return 1;
  }
}
