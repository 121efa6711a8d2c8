// `fluxenv history`: the promotions of a repository, newest first.
import { promotionHistory } from '../promote/history';
import { gitFailureMessage } from './gitFailure';
import { existingFolder, parseArgs, UsageError, type CliIo } from './args';

export const HISTORY_HELP = `Usage: fluxenv history [folder] [options]

List the promotions of the repository (promotion commits on every local branch, and promotion tags),
newest first: date, commit, source -> target, author, what moved, and whether it was reverted.

Options:
  --to <env>                 Only promotions into <env>.
  --format text|json         'text' (default) or a JSON array.
  -h, --help                 Show this help.

Exit status: 0 listed; 1 the folder is not in a git repository (or git failed); 2 bad usage or a folder
that does not exist.
`;

export async function historyCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseArgs(argv, new Set(['to', 'format']), new Set(['help']), { '-h': '--help' });
  if (args.flags.has('help')) {
    io.stdout(HISTORY_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('history takes one folder');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const to = args.flags.get('to');
  const folder = existingFolder(args.positional[0], io, 'fluxenv history path/to/fleet');
  const history = await promotionHistory(folder, typeof to === 'string' ? { target: to } : {});
  if (!history.ok) {
    io.stderr(`fluxenv: ${gitFailureMessage(history.error, folder, 'history')}\n`);
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
    io.stdout(
      `${entry.date}  ${entry.commit.slice(0, 12)}  ${entry.source} -> ${entry.target}  ${entry.author.name} <${entry.author.email}>${tags}${reverted}\n`,
    );
    for (const change of entry.changes) io.stdout(`    ${change.workload}: ${change.before} -> ${change.after}\n`);
  }
  return 0;
}
