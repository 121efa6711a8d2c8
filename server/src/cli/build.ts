// `fluxenv build`: what an environment, or one of its Flux Kustomizations, applies, as Flux builds it: the
// command-line twin of the editor's preview (`flux build kustomization` without a cluster).
import * as fs from 'fs';
import * as path from 'path';
import { keyOf } from '../flux/dependsOn';
import { maskSecrets } from '../features/renderedText';
import { emitDocuments } from '../kustomize/yaml/emit';
import { fleetHelmHelp, formatProblem, parseArgs, UsageError, type CliIo } from './args';
import { openFleet } from './fleetFolder';

export const BUILD_HELP = `Usage: fluxenv build [folder] --env <name> [options]

Print what the environment <name> of the fleet repository at <folder> (default: the current folder)
applies, as Flux builds it: every Flux Kustomization of the cluster as applied (after its parent's
patches and substitution), built from its own source with kustomize-controller's settings, in dependsOn
order, as multi-document YAML. Values substituted from Secrets and Secret data are masked, as in the
editor's preview. Nothing is fetched: Kustomizations whose source is another repository are listed on
standard error and left out.

Options:
  --env <name>                      The environment (see 'fluxenv environments').
  --kustomization <namespace/name>  Only what this Flux Kustomization applies.
  -o, --output <file>               Write the YAML to <file> instead of standard output.
  --limits <json>                   Bounds on the YAML read and the render time, as for 'check'.
${fleetHelmHelp(36)}  -h, --help                        Show this help.

Exit status: 0 built; 1 a build failed (errors on standard error, the rest is printed); 2 bad usage,
an unknown environment or Kustomization.
`;

export function buildCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, new Set(['env', 'kustomization', 'output', 'limits', 'helm-command']), new Set(['help', 'enable-helm']), {
    '-o': '--output',
    '-h': '--help',
  });
  if (args.flags.has('help')) {
    io.stdout(BUILD_HELP);
    return 0;
  }
  const name = args.flags.get('env');
  if (typeof name !== 'string') throw new UsageError('build needs --env <name> (see fluxenv environments)');
  const index = openFleet(args, io, 'build');
  const envs = index.environments().environments;
  const env = envs.find((e) => e.name === name);
  if (!env) throw new UsageError(`no environment '${name}' in ${index.root}; there are: ${envs.map((e) => e.name).join(', ') || 'none'}`);
  const wanted = args.flags.get('kustomization');
  const render = index.renderEnvironment(env);
  let objects = render.objects;
  let problems = render.problems;
  if (typeof wanted === 'string') {
    const key = wanted.includes('/') ? wanted : `flux-system/${wanted}`;
    const ks = env.kustomizations.find((k) => keyOf(k) === key);
    if (!ks)
      throw new UsageError(`no Flux Kustomization '${key}' in environment ${name}; there are: ${env.kustomizations.map(keyOf).join(', ')}`);
    objects = objects.filter((o) => o.appliedBy && keyOf(o.appliedBy) === key);
    problems = render.kustomizations.find((k) => keyOf(k.kustomization) === key)?.result.problems ?? [];
  }
  for (const p of problems) io.stderr(formatProblem(p, io.cwd) + '\n');
  for (const node of env.cluster?.nodes.values() ?? []) {
    if (node.source.kind === 'elsewhere' && (typeof wanted !== 'string' || keyOf(node.kustomization) === wanted))
      io.stderr(`fluxenv: ${keyOf(node.kustomization)} left out: ${node.source.note}\n`);
  }
  const yaml = emitDocuments(objects.map((o) => maskSecrets(o.object, false, o.resource.secretValuePaths)));
  const output = args.flags.get('output');
  if (typeof output === 'string') fs.writeFileSync(path.resolve(io.cwd, output), yaml);
  else io.stdout(yaml);
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}
