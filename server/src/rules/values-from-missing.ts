// A HelmRelease's valuesFrom naming a ConfigMap or Secret that nothing in the environment makes: no manifest,
// no generator, no ExternalSecret or SealedSecret, no SOPS-encrypted Secret. helm-controller then fails the
// release ("could not resolve ... chart values reference ...: resource not found", fluxcd/pkg
// chartutil/values.go) unless the entry is `optional` or the object is created outside git, which we cannot
// see: hence a warning. A kustomize-generated object whose hash suffix the reference did not follow is the
// usual cause, and is named.
import { hashSuffixedNames } from '../fleet/helmReleaseValues';
import { FindingsByPlace, releaseRange, releasesByEnvironment } from './support/releasesByEnvironment';
import type { Rule } from './rule';

export const valuesFromMissing: Rule = {
  id: 'values-from-missing',
  severity: 'warning',
  category: 'flux',
  description: 'HelmRelease valuesFrom naming a ConfigMap or Secret nothing in the environment makes (and not optional).',
  check({ index }) {
    const out = new FindingsByPlace();
    for (const r of releasesByEnvironment(index)) {
      for (const entry of r.values.entries) {
        if (entry.status !== 'missing' || entry.ref.optional) continue;
        const { ref } = entry;
        const range = releaseRange(index, r, [...ref.path, 'name']);
        if (!range) continue;
        const suffixed = hashSuffixedNames(r.render, ref.kind, r.release.namespace, ref.name);
        const cause =
          suffixed.length > 0
            ? ` kustomize generates it as "${suffixed[0]}" (with a hash suffix) and this reference was not rewritten: add a nameReference for HelmRelease spec/valuesFrom/name to the kustomization's configurations, or set options.disableNameSuffixHash: true on the generator.`
            : ` helm-controller fails the release unless it is created outside git. Add it, fix the name, or mark the entry optional: true.`;
        out.add(
          { file: r.release.place.file, range },
          `${ref.kind}/${ref.name}`,
          r.environment,
          (envs) =>
            `HelmRelease ${r.release.namespace}/${r.release.name}: valuesFrom ${ref.kind} "${ref.name}" in namespace "${r.release.namespace}" is made by nothing in ${envs}.${cause}`,
        );
      }
    }
    return out.findings();
  },
};
