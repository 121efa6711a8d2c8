// `fluxenv values`: the values a HelmRelease of an environment installs its chart with, merged as
// helm-controller merges them (fleet/helmReleaseValues.ts): the command-line twin of the editor's
// "Preview HelmRelease Values". Prints the merged values alone, as one YAML or JSON document.
import { emitYaml } from '../kustomize/yaml/emit';
import type { Json } from '../kustomize/types';
import { findReleases, helmReleaseValues } from '../fleet/helmReleaseValues';
import { maskedValues, valuesProblems } from '../flux/helmValues';

import { formatProblem, parseArgs, UsageError, writeOutput, type CliIo } from './args';
import { openFleet } from './fleetFolder';

export const VALUES_HELP = `Usage: fluxenv values [folder] --release <[namespace/]name> --env <name> [options]

Print the values the HelmRelease <name> of environment <name> installs its chart with, as helm-controller
merges them: the HelmRelease as the environment applies it (after its Flux Kustomization's patches and
substitution), each spec.valuesFrom ConfigMap or Secret of the environment in order (valuesKey, targetPath,
optional, literal), then spec.values over them. Prints the merged values alone, as one document, keys sorted.
Values that come from a Secret are masked. A reference the controller could not resolve is reported on
standard error (values made on the cluster, by an ExternalSecret or SOPS, are left out with a note).

Options:
  --env <name>                       The environment (see 'fluxenv environments').
  --release <[namespace/]name>       The HelmRelease; the namespace may be left out when the name is unique.
  --format yaml|json                 Output format (default yaml).
  -o, --output <file>                Write the values to <file> instead of standard output.
  --limits <json>                    Bounds on the YAML read and the render time, as for 'check'.
  -h, --help                         Show this help.

Exit status: 0 printed; 1 helm-controller would fail on these values (a missing ConfigMap, Secret or key that
is not optional, a bad targetPath; the values merged so far are printed); 2 bad usage, an unknown environment
or release.
`;

export function valuesCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, new Set(['env', 'release', 'format', 'output', 'limits']), new Set(['help']), {
    '-o': '--output',
    '-h': '--help',
  });
  if (args.flags.has('help')) {
    io.stdout(VALUES_HELP);
    return 0;
  }
  const envName = args.flags.get('env');
  if (typeof envName !== 'string') throw new UsageError('values needs --env <name> (see fluxenv environments)');
  const wanted = args.flags.get('release');
  if (typeof wanted !== 'string' || wanted === '') throw new UsageError('values needs --release <[namespace/]name>');
  const format = args.flags.get('format') ?? 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`--format must be yaml or json, not '${String(format)}'`);
  const index = openFleet(args, io, 'values');
  const envs = index.environments().environments;
  const env = envs.find((e) => e.name === envName);
  if (!env)
    throw new UsageError(`no environment '${envName}' in ${index.root}; there are: ${envs.map((e) => e.name).join(', ') || 'none'}`);
  const render = index.renderEnvironment(env);
  const found = findReleases(render, wanted);
  const all = helmReleaseValues(render).map((r) => `${r.release.namespace}/${r.release.name}`);
  if (found.length === 0)
    throw new UsageError(`no HelmRelease '${wanted}' in environment ${envName}; there are: ${all.join(', ') || 'none'}`);
  if (found.length > 1)
    throw new UsageError(
      `HelmRelease '${wanted}' is in several namespaces of ${envName}: ${found.map((r) => `${r.release.namespace}/${r.release.name}`).join(', ')}; name one as <namespace>/<name>`,
    );
  const [one] = found;
  for (const p of valuesProblems(one.release, one.values)) io.stderr(formatProblem(p, io.cwd) + '\n');
  const shown = maskedValues(one.values, false);
  const text =
    format === 'json'
      ? JSON.stringify(sortedKeys(shown), (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2) + '\n'
      : emitYaml(shown);
  const output = args.flags.get('output');
  if (typeof output === 'string') writeOutput(output, text, io);
  else io.stdout(text);
  return one.values.ok ? 0 : 1;
}

/** The same key order as the YAML (helm's): sorted. */
function sortedKeys(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortedKeys(value[k])]),
    );
  return value;
}
