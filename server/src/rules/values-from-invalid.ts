// A HelmRelease valuesFrom entry helm-controller cannot use although its object is in the repository: the
// ConfigMap/Secret holds no `valuesKey` (and the entry is not optional), the key's text is not a YAML map,
// `targetPath` is not a path helm's `--set` syntax can set, or setting the value there fails (a comma in the
// value without `literal: true`). Each fails the release (fluxcd/pkg chartutil/values.go), so an error.
import { checkTargetPath } from '../flux/strvals';
import { FindingsByPlace, releaseRange, releasesByEnvironment } from './support/releasesByEnvironment';
import type { Rule } from './rule';

export const valuesFromInvalid: Rule = {
  id: 'values-from-invalid',
  severity: 'error',
  category: 'flux',
  description: 'HelmRelease valuesFrom entry the controller cannot use: a missing valuesKey, values that are not a map, a bad targetPath.',
  check({ index }) {
    const out = new FindingsByPlace();
    for (const r of releasesByEnvironment(index)) {
      const what = `HelmRelease ${r.release.namespace}/${r.release.name}`;
      for (const entry of r.values.entries) {
        const { ref } = entry;
        const place = (path: Array<string | number>) => releaseRange(index, r, path);
        if (ref.targetPath !== undefined) {
          const syntax = checkTargetPath(ref.targetPath);
          const range = place([...ref.path, 'targetPath']);
          if (!syntax.ok && range) {
            out.add(
              { file: r.release.place.file, range },
              'targetPath',
              r.environment,
              () =>
                `${what}: targetPath "${ref.targetPath}" is not a path helm can set (${syntax.error}). Write it as --set does: a.b[0].c, with \\ before a literal dot or comma.`,
            );
            continue;
          }
        }
        if (entry.status === 'key-missing' && !ref.optional) {
          const range = place([...ref.path, 'valuesKey']) ?? place([...ref.path, 'name']);
          const keys = Object.keys(entry.found?.object.data ?? {}).concat(Object.keys(entry.found?.object.stringData ?? {}));
          if (range)
            out.add(
              { file: r.release.place.file, range },
              `key/${ref.kind}/${ref.name}/${ref.valuesKey}`,
              r.environment,
              (envs) =>
                `${what}: ${ref.kind} "${ref.name}" has no key "${ref.valuesKey}" in ${envs}, so helm-controller fails the release. ${keys.length > 0 ? `It holds ${[...new Set(keys)].map((k) => `"${k}"`).join(', ')}; set valuesKey to one of them.` : 'Add the key, or set valuesKey.'}`,
            );
        } else if (entry.status === 'unreadable' || entry.status === 'merge-failed') {
          const range = place([...ref.path, entry.status === 'merge-failed' ? 'targetPath' : 'name']);
          const hint =
            entry.status === 'merge-failed' && !ref.literal
              ? ' Set literal: true to take the value verbatim.'
              : entry.status === 'unreadable'
                ? ' The key must hold a YAML map of values, or use targetPath to set one value.'
                : '';
          if (range)
            out.add(
              { file: r.release.place.file, range },
              `${entry.status}/${entry.message}`,
              r.environment,
              (envs) => `${what}: in ${envs} helm-controller fails: ${entry.message}.${hint}`,
            );
        }
      }
    }
    return out.findings();
  },
};
