// Production should move only when someone promotes a version: a source that tracks a branch ships
// every commit of that branch to production (the seed's "use Git tags or semver for production").
import type { FleetIndex, IndexedFluxObject } from '../fleet/fleetIndex';
import { inferredRank, type Environment } from '../fleet/environments';
import { isWithin } from '../kustomize/loader';
import type { FluxKustomization, GitRepository, OCIRepository } from '../flux/objects';
import { documentOfObject } from './support/fluxSpecHelpers';
import type { Finding, Rule } from './rule';

type TrackedSource = GitRepository | OCIRepository;

/** Production environments: the last in promotion order (when there are several), and any named prod/production. */
export function productionEnvironments(index: FleetIndex): Environment[] {
  const all = index.environments().environments.filter((e) => e.kind === 'flux');
  const last = all.length > 1 ? all.reduce((a, b) => (b.order > a.order ? b : a)) : undefined;
  return all.filter((e) => e === last || inferredRank(e.name) === 3);
}

/** Release branches named by version (`release-1.4`, `release/v2`, `v1.x`): the article's "semver branches". */
function isVersionBranch(branch: string): boolean {
  const last = branch.split(/[/-]/).pop() ?? '';
  return /^v?[0-9]+(\.([0-9]+|x|X|\*)){0,2}$/.test(last);
}

function movingRef(source: TrackedSource): string | undefined {
  if (source.kind === 'GitRepository') {
    if (!source.tracksMovingRef) return undefined;
    const ref = source.effectiveRef;
    if (ref.kind === 'branch' && isVersionBranch(ref.value)) return undefined;
    return ref.defaulted ? `no ref, so the default branch ${ref.value}` : ref.kind === 'branch' ? `branch ${ref.value}` : `${ref.value}`;
  }
  if (!source.tracksMovingRef) return undefined;
  return source.effectiveRef.defaulted ? 'no ref, so the tag latest' : `the tag ${source.effectiveRef.value}, which is re-pushed`;
}

function resolveSource(list: IndexedFluxObject[], ks: FluxKustomization, env: Environment): IndexedFluxObject | undefined {
  const ref = ks.sourceRef;
  if (!ref || (ref.kind !== 'GitRepository' && ref.kind !== 'OCIRepository')) return undefined;
  const candidates = list.filter(
    (o) => o.object.kind === ref.kind && o.object.name === ref.name && (!o.object.namespaceWritten || o.object.namespace === ref.namespace),
  );
  // Each cluster has its own flux-system GitRepository of the same name: the one in this environment's folder wins.
  return candidates.find((c) => env.dirs.some((d) => isWithin(c.file, d))) ?? (candidates.length === 1 ? candidates[0] : undefined);
}

export const productionMovingBranch: Rule = {
  id: 'production-moving-branch',
  severity: 'info',
  category: 'flux',
  description: 'The source a production environment applies from tracks a branch instead of a tag or semver range.',
  check({ index }) {
    const findings: Finding[] = [];
    const list = index.fluxObjects().list;
    const reported = new Set<string>();
    const production = productionEnvironments(index);
    const usedBeforeProduction = new Set<string>();
    for (const env of index.environments().environments) {
      if (env.kind !== 'flux' || production.includes(env)) continue;
      for (const ks of env.kustomizations) {
        const source = resolveSource(list, ks, env);
        if (source) usedBeforeProduction.add(`${source.file}#${source.documentIndex}`);
      }
    }
    for (const env of production) {
      const bySource = new Map<IndexedFluxObject, FluxKustomization[]>();
      for (const ks of env.kustomizations) {
        const source = resolveSource(list, ks, env);
        if (source) bySource.set(source, [...(bySource.get(source) ?? []), ks]);
      }
      for (const [indexed, users] of bySource) {
        const source = indexed.object as TrackedSource;
        const tracks = movingRef(source);
        const key = `${indexed.file}#${indexed.documentIndex}`;
        if (!tracks || reported.has(key)) continue;
        reported.add(key);
        const located = documentOfObject(index, indexed);
        if (!located) continue;
        const { doc } = located;
        // Production's own source is the one to change; one shared with staging must not move for production's sake.
        const ownSource = !usedBeforeProduction.has(key);
        const refField = source.kind === 'GitRepository' ? source.effectiveRef.kind : 'tag';
        const range = ownSource
          ? (doc.locate(['spec', 'ref', refField]) ??
            doc.locate(['spec', 'ref'], { key: true }) ??
            doc.locate(['spec'], { key: true }) ??
            doc.range)
          : undefined;
        const names = users.map((k) => k.name).join(', ');
        const advice =
          source.kind === 'GitRepository'
            ? 'a release tag or a semver range (spec.ref.tag or spec.ref.semver, e.g. ">=1.0.0 <2.0.0")'
            : 'a semver range or a digest (spec.ref.semver or spec.ref.digest)';
        const head = `Production environment ${env.name} applies ${users.length === 1 ? 'Kustomization' : 'Kustomizations'} ${names} from ${source.kind} ${source.name}, which tracks ${tracks}: every change pushed there reaches production without a promotion step.`;
        if (range) {
          findings.push({ file: indexed.file, range, message: `${head} Track ${advice} and promote by moving it.` });
          continue;
        }
        // A source shared with other environments: production must point at a source of its own.
        for (const ks of users) {
          const ksDoc = index.parsed(ks.place.file)?.documents[ks.place.documentIndex];
          if (!ksDoc) continue;
          findings.push({
            file: ks.place.file,
            range: ksDoc.locate(['spec', 'sourceRef', 'name']) ?? ksDoc.range,
            message: `${head} Point this sourceRef at a ${source.kind} of production's own that tracks ${advice}.`,
          });
        }
      }
    }
    return findings;
  },
};
