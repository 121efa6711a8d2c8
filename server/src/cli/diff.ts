// `fluxenv diff`: what a change does to each environment's rendered output, between two git revisions
// (or a revision and the work tree), per environment, per Flux Kustomization, per object. Revisions are
// read from git objects: the work tree, the index and the refs are never changed.
import * as fs from 'fs';
import { diffRenderedFleets, environmentNames, type RenderedDiffSide } from '../features/renderedDiff';
import { openRevisionFleet, repositoryOf } from '../features/revisionFleet';
import { FleetIndex } from '../fleet/fleetIndex';
import { defaultBaseRevision } from '../git/revisionTree';
import { BuildCache } from '../kustomize/buildCache';
import { nodeFileSystem } from '../kustomize/fs';
import {
  CliError,
  existingFolder,
  fleetHelmHelp,
  helmArgument,
  limitsArgument,
  parseArgs,
  UsageError,
  writeOutput,
  type CliIo,
} from './args';
import { formatJson, formatMarkdown, formatText, hasDifferences } from './diffReport';

export const DIFF_HELP = `Usage: fluxenv diff [folder] [options]

Show what a change does to each environment of the fleet repository at <folder> (default: the current
folder): every environment rendered at two revisions, as Flux applies it, compared per Flux Kustomization
and per object (apiVersion kind namespace/name): added, removed, changed, or moved to another
Kustomization, with a unified diff of the rendered YAML. Secret values are masked, as in the editor's
preview. Revisions are read from git objects: the work tree, the index and the refs are not changed.

Options:
  --base <rev>                 The revision to compare from. Default: the merge base of HEAD with the
                               default branch (origin/HEAD, else main or master).
  --head <rev>                 The revision to compare to. Default: the work tree, uncommitted changes
                               included; '--head HEAD' for the last commit.
  --env <name>                 Only this environment; repeat for several (see 'fluxenv environments').
  --format text|markdown|json  'text' (default; coloured on a terminal), 'markdown' for a pull-request
                               comment (a summary table, then one collapsible section per environment,
                               kept under 65,000 characters), or 'json'.
  --exit-code                  Exit 1 when anything differs.
  -o, --output <file>          Write the report to <file> instead of standard output.
  --limits <json>              Bounds on the YAML read and the render time, as for 'check'.
${fleetHelmHelp(31)}  -h, --help                   Show this help.

A render error at either side is reported under its Kustomization; the rest is still compared.

Exit status: 0 compared (with --exit-code: nothing differs); 1 with --exit-code, something differs;
2 bad usage, a revision that does not exist, a folder outside a git repository, or an internal failure.
`;

/** `--env a --env b` and `--env a,b`: the one flag given several times. */
function takeRepeated(argv: string[], flag: string): { rest: string[]; values: string[] } {
  const rest: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === `--${flag}`) {
      const value = argv[++i];
      if (value === undefined) throw new UsageError(`flag --${flag} needs a value`);
      values.push(...value.split(','));
    } else if (arg.startsWith(`--${flag}=`)) values.push(...arg.slice(flag.length + 3).split(','));
    else rest.push(arg);
  }
  return { rest, values: values.map((v) => v.trim()).filter((v) => v !== '') };
}

export async function diffCommand(argv: string[], io: CliIo): Promise<number> {
  const { rest, values: envs } = takeRepeated(argv, 'env');
  const args = parseArgs(
    rest,
    new Set(['base', 'head', 'format', 'output', 'limits', 'helm-command']),
    new Set(['help', 'exit-code', 'enable-helm']),
    {
      '-o': '--output',
      '-h': '--help',
    },
  );
  if (args.flags.has('help')) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('diff takes one folder');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'markdown' && format !== 'json')
    throw new UsageError(`--format must be text, markdown or json, not '${format}'`);
  for (const flag of ['base', 'head']) {
    const value = args.flags.get(flag);
    // A revision is never an option to git (resolveCommit passes --end-of-options), but an empty one is a slip.
    if (value === '') throw new UsageError(`--${flag} needs a revision, e.g. --${flag} main`);
  }
  const folder = fs.realpathSync(existingFolder(args.positional[0], io, 'fluxenv diff path/to/fleet'));
  const repo = await repositoryOf(folder);
  if (!repo.ok) throw new CliError(repo.error.message);
  const repoRoot = fs.realpathSync(repo.value);
  const settings = { limits: limitsArgument(args), ...helmArgument(args) };
  const buildCache = new BuildCache();

  let baseRevision = args.flags.get('base') as string | undefined;
  let baseLabel = baseRevision;
  if (baseRevision === undefined) {
    const found = await defaultBaseRevision(repoRoot);
    if (!found.ok) throw new CliError(found.error.message);
    baseRevision = found.value.commit;
    baseLabel = `merge base with ${found.value.against}`;
  }
  const baseFleet = await openRevisionFleet(repoRoot, folder, baseRevision, settings, buildCache);
  if (!baseFleet.ok) throw new CliError(baseFleet.error.message);
  const base: RenderedDiffSide = { index: baseFleet.value.index, label: baseLabel ?? baseRevision, commit: baseFleet.value.commit };

  const headRevision = args.flags.get('head') as string | undefined;
  let head: RenderedDiffSide;
  if (headRevision === undefined) {
    const index = new FleetIndex(folder, settings, nodeFileSystem, { buildCache });
    index.scan();
    head = { index, label: 'work tree' };
  } else {
    const headFleet = await openRevisionFleet(repoRoot, folder, headRevision, settings, buildCache);
    if (!headFleet.ok) throw new CliError(headFleet.error.message);
    head = { index: headFleet.value.index, label: headRevision, commit: headFleet.value.commit };
  }

  const known = environmentNames(base.index, head.index);
  const unknown = envs.filter((name) => !known.includes(name));
  if (unknown.length > 0)
    throw new UsageError(
      `no environment ${unknown.map((n) => `'${n}'`).join(', ')} at either side; there are: ${known.join(', ') || 'none'}`,
    );

  const diff = diffRenderedFleets(base, head, { environments: envs });
  const output = args.flags.get('output');
  const color = typeof output !== 'string' && format === 'text' && process.stdout.isTTY === true && !process.env.NO_COLOR;
  const text = format === 'json' ? formatJson(diff) : format === 'markdown' ? formatMarkdown(diff) : formatText(diff, color);
  if (typeof output === 'string') writeOutput(output, text, io);
  else io.stdout(text);
  return args.flags.has('exit-code') && hasDifferences(diff) ? 1 : 0;
}
