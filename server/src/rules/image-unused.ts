// An `images:` entry that matches no container: the new tag or name the author meant to roll out is
// never applied, and nothing in kustomize says so. Usually a typo or a registry prefix that differs.
import type { FleetIndex } from '../fleet/fleetIndex';
import { listField } from '../kustomize/kustomization';
import { isObject } from '../kustomize/resource';
import { isImageMatched, splitImage } from '../kustomize/transformers/images';
import type { Json, Resource } from '../kustomize/types';
import type { ParsedDocument } from '../kustomize/yaml/parse';
import { nearestNames } from '../util/editDistance';
import { containerImages, fleetKustomizations } from './support/overlayRenderSupport';
import type { Finding, Rule } from './rule';

function isUsed(name: string, resources: readonly Resource[], file: string): boolean {
  const step = `images[${name}]`;
  for (const r of resources) for (const origin of r.setBy.values()) if (origin.step === step && origin.file === file) return true;
  return containerImages(resources).some((c) => isImageMatched(c.image, name));
}

function findingsFor(
  images: Json[],
  prefix: Array<string | number>,
  doc: ParsedDocument,
  file: string,
  resources: readonly Resource[],
  where: string,
): Finding[] {
  const findings: Finding[] = [];
  let known: string[] | undefined;
  images.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.name !== 'string' || entry.name === '') return;
    const name = entry.name;
    if (isUsed(name, resources, file)) return;
    known ??= [...new Set(containerImages(resources).map((c) => splitImage(c.image).name))];
    const [nearest] = nearestNames(name, known, { limit: 1, maxDistance: Math.max(3, Math.floor(name.length / 4)) });
    const range = doc.locate([...prefix, i, 'name']) ?? doc.locate([...prefix, i]) ?? doc.range;
    const hint =
      nearest !== undefined
        ? ` Did you mean ${nearest}?`
        : known.length > 0
          ? ` Its containers use ${known.slice(0, 3).join(', ')}${known.length > 3 ? ', ...' : ''}.`
          : '';
    findings.push({
      file,
      range,
      message: `images entry '${name}' matches no container image that ${where} renders, so its newName/newTag/digest is never applied.${hint} Use the image name as the containers write it (registry and path included, without the tag), or remove the entry.`,
      fixes:
        nearest !== undefined
          ? [{ title: `Match image ${nearest}`, edits: [{ file, range, newText: nearest }], preferred: true }]
          : undefined,
    });
  });
  return findings;
}

function relative(index: FleetIndex, file: string): string {
  return file.startsWith(index.root + '/') ? file.slice(index.root.length + 1) : file;
}

export const imageUnused: Rule = {
  id: 'image-unused',
  severity: 'warning',
  category: 'overlay',
  description: 'An images entry whose name matches no container image in what the kustomization renders.',
  check({ index, isCancelled, checking }) {
    const findings: Finding[] = [];
    for (const k of fleetKustomizations(index)) {
      if (isCancelled()) break;
      const entries = listField(k, 'images');
      if (entries.length === 0 || !Array.isArray(k.fields.images)) continue;
      const render = index.renderFolder(k.dir);
      if (render.problems.some((p) => p.severity === 'error')) continue;
      findings.push(...findingsFor(k.fields.images, ['images'], k.document, k.file, render.resources, relative(index, k.dir)));
    }
    for (const indexed of index.fluxObjects().list) {
      checking?.(indexed.file);
      if (isCancelled()) break;
      const ks = indexed.object;
      if (ks.kind !== 'Kustomization' || ks.images.length === 0) continue;
      const doc = index.parsed(indexed.file)?.documents[indexed.documentIndex];
      const result = index.renderFluxKustomization(indexed);
      if (!doc || !result || result.problems.some((p) => p.severity === 'error')) continue;
      findings.push(...findingsFor(ks.images, ['spec', 'images'], doc, indexed.file, result.resources, `Kustomization ${ks.name}`));
    }
    return findings;
  },
};
