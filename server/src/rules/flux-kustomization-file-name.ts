// A Flux Kustomization saved as kustomization.yaml is read by kustomize as its own configuration file
// (a different kind with the same name), and the build of that folder fails.
import * as path from 'path';
import { isFluxKustomization } from '../flux/objects';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization';
import { documentOfObject } from './support/fluxSpecHelpers';
import type { Finding, Rule } from './rule';

export const fluxKustomizationFileName: Rule = {
  id: 'flux-kustomization-file-name',
  severity: 'error',
  category: 'flux',
  description: 'Flux Kustomization saved in a file kustomize reads as its own kustomization file.',
  check({ index, checking }) {
    const findings: Finding[] = [];
    const reserved = KUSTOMIZATION_FILE_NAMES as readonly string[];
    for (const indexed of index.fluxObjects().list) {
      checking?.(indexed.file);
      const ks = indexed.object;
      const base = path.posix.basename(indexed.file);
      if (!isFluxKustomization(ks) || !reserved.includes(base)) continue;
      const located = documentOfObject(index, indexed);
      if (!located) continue;
      const { doc } = located;
      const siblings = new Set(index.fs.readDir(path.posix.dirname(indexed.file)));
      const proposed =
        [`${ks.name}.yaml`, `${ks.name}-kustomization.yaml`, `flux-${ks.name}.yaml`].find(
          (n) => !siblings.has(n) && !reserved.includes(n),
        ) ?? `${ks.name}.yaml`;
      findings.push({
        file: indexed.file,
        range: doc.locate(['kind']) ?? doc.range,
        message: `This Flux Kustomization (${ks.name}) is saved as ${base}, the file kustomize reads as its own configuration: building this folder fails with 'invalid Kustomization: json: unknown field "spec"', so neither kustomize nor the Kustomization that syncs this folder applies anything. Rename the file, e.g. to ${proposed}, and list it in the folder's resources if the folder has a kustomization.`,
      });
    }
    return findings;
  },
};
