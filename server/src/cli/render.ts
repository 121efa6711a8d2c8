// `fluxenv render`: a drop-in for `kubectl kustomize` (same flags, same output). It runs from dist/cli.js
// with args.ts alone, so that a render process does not load the rules, the fleet index and the git code
// it never uses (a smaller bundle to compile at every start: scripts call it once per folder).
import { renderKustomization } from '../kustomize/render';
import { existingFolder, formatProblem, helmArgument, limitsArgument, parseArgs, UsageError, writeOutput, type CliIo } from './args';

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
  --enable-helm              Render 'helmCharts' by running 'helm template', as kubectl does with this
                             flag; the chart must already be in the chart home ('charts/' by default):
                             charts are never downloaded. Without it, 'helmCharts' is an error.
  --helm-command <path>      The helm executable for --enable-helm (default: 'helm' on PATH).
  -o, --output <file>        Write the YAML to <file> instead of standard output.
  --limits <json>            Bounds on the YAML read and the render time (not a kubectl flag), e.g.
                             '{"parse":{"maxFileBytes":1048576},"render":{"renderTimeBudgetMs":10000}}'.
  -h, --help                 Show this help.

Exit status: 0 rendered; 1 the kustomization has errors (printed to standard error as
'file:line:col: message'); 2 bad usage.
`;

export function render(argv: string[], io: CliIo): number {
  const args = parseArgs(
    argv,
    new Set(['reorder', 'load-restrictor', 'output', 'limits', 'helm-command']),
    new Set(['enable-managedby-label', 'enable-helm', 'help']),
    {
      '-o': '--output',
      '-h': '--help',
    },
  );
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
  // Exit 1 like `kubectl kustomize` on a folder that does not exist.
  const folder = existingFolder(args.positional[0], io, 'fluxenv render path/to/kustomization-folder', 1);
  const limits = limitsArgument(args);
  const out = renderKustomization(folder, {
    reorder,
    parseLimits: limits.parse,
    deadline: Date.now() + limits.render.renderTimeBudgetMs,
    loadRestrictor: restrictor === 'LoadRestrictionsNone' ? 'none' : 'rootOnly',
    enableManagedByLabel: args.flags.has('enable-managedby-label'),
    ...helmArgument(args),
  });
  for (const p of out.problems) io.stderr(formatProblem(p, io.cwd) + '\n');
  if (out.yaml === undefined) return 1;
  const output = args.flags.get('output');
  if (typeof output === 'string') writeOutput(output, out.yaml, io);
  else io.stdout(out.yaml);
  return 0;
}
