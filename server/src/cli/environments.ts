// `fluxenv environments`: the environments of a fleet as the editor's Environments tree shows them: for
// each cluster, where Flux starts (its roots) and every Flux Kustomization as applied, in dependsOn order.
import * as path from 'path';
import { keyOf } from '../flux/dependsOn';
import type { Environment } from '../fleet/environments';
import type { FleetIndex } from '../fleet/fleetIndex';
import { parseArgs, UsageError, type CliIo } from './args';
import { openFleet } from './fleetFolder';

export const ENVIRONMENTS_HELP = `Usage: fluxenv environments [folder] [options]

List the environments of the fleet repository at <folder> (default: the current folder) as Flux sees
them: one per cluster, found from its roots (a 'flux bootstrap' folder, a FluxInstance's sync, the
flux-instance chart's values, Kustomizations applied to another cluster through spec.kubeConfig, a
clusters/<name>/ folder, or, last, a Kustomization nothing applies), then every Flux Kustomization the
cluster applies, as applied (after its parent's patches and substitution), in dependsOn order, with the
source its spec.path is relative to and how many objects it applies. Without Flux, the overlay folders.

Options:
  --format text|json         'text' (default), or JSON: {"environments":[{"name","order","roots":[...],
                             "kustomizations":[{"name","namespace","file","line","path","source":{"kind",
                             "name","namespace"},"dependsOn":["<ns>/<name>"],"objects"}]}]} (files
                             relative to <folder>; roots inferred from the layout say so in "rootDetails").
  --limits <json>            Bounds on the YAML read and the render time, as for 'check'.
  -h, --help                 Show this help.

Exit status: 0 listed; 2 bad usage or an internal failure.
`;

export interface EnvironmentListing {
  name: string;
  kind: 'flux' | 'overlay';
  order: number;
  roots: string[];
  rootDetails: Array<{ file: string; kind: string; inferred: boolean; description: string }>;
  /** What is known only on the cluster (a ResourceSet's dynamic inputs). */
  notes: string[];
  kustomizations: Array<{
    name: string;
    namespace: string;
    file: string;
    line: number;
    path?: string;
    source?: { kind: string; name: string; namespace: string };
    sourceNote?: string;
    dependsOn: string[];
    objects: number;
  }>;
}

export function listEnvironments(index: FleetIndex): EnvironmentListing[] {
  const rel = (file: string) => path.posix.relative(index.root, file) || '.';
  return index.environments().environments.map((env) => listingOf(index, env, rel));
}

function listingOf(index: FleetIndex, env: Environment, rel: (file: string) => string): EnvironmentListing {
  const render = index.renderEnvironment(env);
  const objects = new Map<string, number>();
  for (const o of render.objects) if (o.appliedBy) objects.set(keyOf(o.appliedBy), (objects.get(keyOf(o.appliedBy)) ?? 0) + 1);
  const roots = env.roots ?? env.dirs.map((d) => ({ file: d, kind: 'overlay', inferred: true, description: `overlay folder ${rel(d)}` }));
  return {
    name: env.name,
    kind: env.kind,
    order: env.order,
    roots: [...new Set(roots.map((r) => rel(r.file)))],
    rootDetails: roots.map((r) => ({ file: rel(r.file), kind: r.kind, inferred: r.inferred, description: r.description })),
    notes: (env.cluster?.notes ?? []).map((n) => `${rel(n.file)}: ${n.message}`),
    kustomizations: env.kustomizations.map((ks) => {
      const node = env.cluster?.nodes.get(keyOf(ks));
      const note = node && node.source.kind !== 'repository' ? node.source.note : node?.source.note;
      return {
        name: ks.name,
        namespace: ks.namespace,
        file: rel(ks.place.file),
        line: (ks.place.range?.start.line ?? 0) + 1,
        ...(ks.path !== undefined ? { path: ks.path } : {}),
        ...(ks.sourceRef ? { source: { kind: ks.sourceRef.kind, name: ks.sourceRef.name, namespace: ks.sourceRef.namespace } } : {}),
        ...(note ? { sourceNote: note } : {}),
        dependsOn: ks.dependsOn.map((d) => `${d.namespace}/${d.name}`),
        objects: objects.get(keyOf(ks)) ?? 0,
      };
    }),
  };
}

function formatText(listing: EnvironmentListing[], writtenKustomizations: number): string {
  if (listing.length === 0 && writtenKustomizations > 0)
    return `No environments found: ${writtenKustomizations} Flux Kustomization${writtenKustomizations === 1 ? ' is' : 's are'} written here, but no root applies them (no 'flux bootstrap' folder, FluxInstance or clusters/<name>/ folder) and none can be taken for one (their sources are artifacts or repositories whose content is not this folder).\n`;
  if (listing.length === 0) return 'No environments found: no Flux Kustomization, FluxInstance or overlay folder.\n';
  const lines: string[] = [];
  for (const env of listing) {
    lines.push(`${env.name} (${env.kind}, order ${env.order})`);
    for (const r of env.rootDetails) lines.push(`  root: ${r.description}${r.inferred ? ' [inferred]' : ''}`);
    for (const n of env.notes) lines.push(`  note: ${n}`);
    for (const k of env.kustomizations) {
      const source = k.source ? ` from ${k.source.kind} ${k.source.namespace}/${k.source.name}` : '';
      const deps = k.dependsOn.length > 0 ? ` dependsOn ${k.dependsOn.join(', ')}` : '';
      lines.push(`  ${k.namespace}/${k.name}  ${k.path ?? './'}${source}  ${k.objects} objects${deps}  (${k.file}:${k.line})`);
      if (k.sourceNote) lines.push(`    note: ${k.sourceNote}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function environmentsCommand(argv: string[], io: CliIo): number {
  const args = parseArgs(argv, new Set(['format', 'limits']), new Set(['help']), { '-h': '--help' });
  if (args.flags.has('help')) {
    io.stdout(ENVIRONMENTS_HELP);
    return 0;
  }
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`);
  const index = openFleet(args, io, 'environments');
  const listing = listEnvironments(index);
  const written = index.fluxObjects().list.filter((o) => o.object.kind === 'Kustomization').length;
  io.stdout(format === 'json' ? JSON.stringify({ environments: listing }, null, 2) + '\n' : formatText(listing, written));
  return 0;
}
