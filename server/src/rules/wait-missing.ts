// A Flux Kustomization that neither waits nor health-checks is Ready as soon as its objects are
// applied, so whatever dependsOn it starts before its workloads run.
import { isFluxKustomization } from '../flux/objects';
import { insertMapEntry, replaceValue } from '../kustomize/yaml/edit';
import { documentOfObject, isBootstrapObject } from './support/fluxSpecHelpers';
import type { Finding, Rule } from './rule';

export const waitMissing: Rule = {
  id: 'wait-missing',
  severity: 'info',
  category: 'flux',
  description: 'Flux Kustomization with neither wait: true nor healthChecks; its dependents start before it is ready.',
  check({ index }) {
    const findings: Finding[] = [];
    const list = index.fluxObjects().list;
    const dependents = new Map<string, string[]>();
    for (const { object } of list) {
      if (!isFluxKustomization(object)) continue;
      for (const dep of object.dependsOn) {
        const key = `${dep.namespace}/${dep.name}`;
        dependents.set(key, [...(dependents.get(key) ?? []), object.name]);
      }
    }
    for (const indexed of list) {
      const ks = indexed.object;
      if (!isFluxKustomization(ks) || ks.wait || isBootstrapObject(ks)) continue;
      const spec = ks.object.spec;
      if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) continue;
      const healthChecks = spec.healthChecks;
      if (Array.isArray(healthChecks) && healthChecks.length > 0) continue;
      // A wait of the wrong type is invalid-flux-object's to report; inserting a second key would only add a duplicate.
      if (spec.wait !== undefined && spec.wait !== null && spec.wait !== false) continue;
      const located = documentOfObject(index, indexed);
      if (!located) continue;
      const { doc, text } = located;
      const written = spec.wait === false;
      const range = (written ? doc.locate(['spec', 'wait']) : doc.locate(['spec'], { key: true })) ?? doc.range;
      const edit = written ? replaceValue(indexed.file, doc, ['spec', 'wait'], 'true') : insertMapEntry(indexed.file, text, doc, ['spec'], 'wait', 'true');
      const waiting = dependents.get(`${ks.namespace}/${ks.name}`) ?? [];
      const consequence =
        waiting.length > 0
          ? `${waiting.map((n) => `"${n}"`).join(', ')} (which ${waiting.length === 1 ? 'dependsOn' : 'dependOn'} it) ${waiting.length === 1 ? 'starts' : 'start'} before its workloads are ready`
          : 'anything that dependsOn it starts before its workloads are ready';
      findings.push({
        file: indexed.file,
        range,
        message: `Kustomization ${ks.name} ${written ? 'sets wait: false and has no healthChecks' : 'sets neither wait: true nor healthChecks'}: it turns Ready as soon as its objects are applied, so ${consequence}. Set wait: true (or list healthChecks).`,
        fixes: edit ? [{ title: 'Set wait: true', edits: [edit], preferred: true }] : undefined,
      });
    }
    return findings;
  },
};
