// Every error `kubectl kustomize` would stop at, for every kustomization folder of the repository, shown
// at the file and line that caused it (not at the overlay that happened to include it).
//
// Two kinds of folder are not built on their own, because nothing builds them on their own:
// - a `kind: Component`: kustomize runs a component over the resources of the kustomization that lists it
//   (api/internal/target/kusttarget.go, accumulateComponents; examples/components.md), so its patches and
//   replacements name objects it does not hold itself. Its errors show when an includer is built.
// - template scaffolding: a folder with Go/Helm/Jinja/cookiecutter templates (`{{ .app_name }}`) in its path
//   or files that no kustomization includes and no environment applies. It is the input of a generator,
//   not a kustomization anybody builds.
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import { resolveSpecPath } from '../flux/generate';
import { isFluxKustomization } from '../flux/objects';
import type { Problem, Range } from '../kustomize/types';
import { entryStatus, pathEntries } from './support/kustomizationEntries';
import type { Finding, Rule } from './rule';

/** A Go/Helm template action or a Jinja block: `{{ .x }}`, `{{- if }}`, `{% for %}`. */
const TEMPLATE = /\{\{[^{}\n]*\}\}|\{%[^%\n]*%\}/;

function isScaffolding(index: FleetIndex, file: string): boolean {
  const text = index.text(file);
  return /\{\{|\{%/.test(path.posix.relative(index.root, path.posix.dirname(file))) || (text !== undefined && TEMPLATE.test(text));
}

/**
 * Folders something builds: listed by a kustomization that is not scaffolding itself (resources, bases,
 * components), a Flux Kustomization's path, read by the Flux graph, or an overlay environment's folder.
 */
function builtFolders(index: FleetIndex): Set<string> {
  const out = new Set<string>();
  for (const file of index.kustomizationFiles()) {
    if (isScaffolding(index, file)) continue;
    for (const entry of pathEntries(index, file)) {
      if (!['resources', 'bases', 'components'].includes(entry.field)) continue;
      const status = entryStatus(index, entry);
      if (status.kind === 'ok' && status.entryKind === 'dir') out.add(status.absolute);
    }
  }
  for (const { object } of index.fluxObjects().list) {
    if (isFluxKustomization(object)) out.add(resolveSpecPath(index.root, object.path));
  }
  const discovery = index.environments();
  for (const file of discovery.graph?.filesRead ?? []) out.add(path.posix.dirname(file));
  for (const env of discovery.environments) if (env.kind === 'overlay') for (const dir of env.dirs) out.add(dir);
  return out;
}

/**
 * Problem codes another rule of the catalogue reports with a better range or a fix; this rule skips them
 * so that each mistake is shown once.
 */
export const CODES_REPORTED_ELSEWHERE: ReadonlySet<string> = new Set([
  'missing-path', // missing-path (also a file entry naming a folder)
  'invalid-component', // missing-path (a component entry naming a file)
  'path-outside-repo', // path-outside-repo
  'absolute-path', // path-outside-repo
  'remote-resource', // remote-resource
  'unknown-field', // unknown-field
  'patch-no-match', // the patch rules of the overlay-render group
]);

/** A generator `files` entry naming a folder: missing-path reports it at the entry. */
function reportedAsMissingPath(problem: Problem): boolean {
  return problem.code === 'generator-error' && /' must resolve to a file$/.test(problem.message);
}

const ADVICE: Record<string, string> = {
  'missing-kustomization': 'Add a kustomization.yaml to that folder, or list its files one by one.',
  'multiple-kustomizations': 'Keep one kustomization file in the folder and delete the others.',
  'path-outside-root':
    "Flux builds it, but kubectl kustomize and kustomize build refuse it: move the file into this kustomization's folder, or make its folder a kustomization and list that folder in resources.",
  'include-cycle': 'Remove the entry that includes a folder above this one.',
  'duplicate-resource': 'Remove one of the two objects, or give them different names or namespaces.',
  'invalid-yaml': 'Fix the YAML syntax at this place.',
  'empty-kustomization': 'Add resources or transformations, or delete the file.',
  'component-kind': 'List Components under components and Kustomizations under resources.',
  'invalid-kustomization': 'Correct the field as the message says.',
  'invalid-resource': 'Every object needs apiVersion, kind and metadata.name.',
  // kustomize-controller never enables helm (fluxcd/kustomize-controller#548, #579: use helm-controller).
  'helm-not-enabled':
    "Flux's kustomize-controller does not render helmCharts either: move the chart to a HelmRelease, or, for a folder Flux does not build, render it with helm (setting fluxEnvironments.helm.enabled in a trusted folder, or --enable-helm in fluxenv).",
  'plugin-not-loaded': 'Use a builtin plugin (apiVersion: builtin) with a kind kustomize knows, or the matching kustomization field.',
  'unsupported-plugin': 'Use the matching kustomization field, or render this kustomization with an external kustomize.',
};

/**
 * The problem's range, narrowed when it covers a whole object (a duplicate or invalid resource) to the
 * object's name, or its kind, so the editor marks a word rather than the file.
 */
function preciseRange(index: FleetIndex, problem: Problem): Range {
  const range = problem.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  if (range.start.line === range.end.line) return range;
  const doc = index
    .parsed(problem.file)
    ?.documents.find((d) => d.range.start.line === range.start.line && d.range.end.line === range.end.line);
  if (!doc) return range;
  return doc.locate(['metadata', 'name']) ?? doc.locate(['kind']) ?? range;
}

export const renderError: Rule = {
  id: 'render-error',
  severity: 'error',
  category: 'render',
  description:
    'kubectl kustomize fails on a kustomization folder (Components and unapplied template scaffolding are built only where included); reported where the cause is written.',
  check({ index, isCancelled, checking }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    // Folders a Flux Kustomization builds are built without the root-only restriction (kustomize-controller
    // runs kustomize with LoadRestrictionsNone: fluxcd/pkg kustomize/kustomize_generator.go), so a file
    // outside the folder is no mistake there.
    const builtByFlux = index.environments().graph?.filesRead;
    let built: Set<string> | undefined;
    for (const file of index.kustomizationFiles()) {
      checking?.(file);
      if (isCancelled()) break;
      if (index.kustomization(file).kustomization?.kind === 'Component') continue;
      const dir = path.posix.dirname(file);
      const scaffold = isScaffolding(index, file);
      const render = index.renderFolder(dir);
      for (const problem of render.problems) {
        if (problem.severity !== 'error' || CODES_REPORTED_ELSEWHERE.has(problem.code) || reportedAsMissingPath(problem)) continue;
        if (problem.code === 'path-outside-root' && builtByFlux?.has(file)) continue;
        const templated = scaffold || TEMPLATE.test(index.text(problem.file) ?? '');
        if (templated && !(built ??= builtFolders(index)).has(dir)) continue;
        // A folder given as the problem's place (a top-level build with no kustomization) has no text to mark.
        if (index.fs.kind(problem.file) !== 'file') continue;
        const range = preciseRange(index, problem);
        const key = `${problem.file}\u0000${range.start.line}:${range.start.character}-${range.end.line}:${range.end.character}\u0000${problem.code}\u0000${problem.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const advice = ADVICE[problem.code] ?? 'Correct what the message names; until then kustomize and Flux cannot build this folder.';
        findings.push({
          file: problem.file,
          range,
          // Flux builds without the root-only restriction: only `kubectl kustomize` refuses this one.
          severity: problem.code === 'path-outside-root' ? 'warning' : undefined,
          message: `kustomize build fails: ${problem.message.replace(/[.\s]+$/, '')}. ${advice}`,
          related: problem.related?.map((r) => ({ file: r.file, range: r.range, message: r.message })),
        });
      }
    }
    // A Kustomization built inside its source's artifact (an OCI artifact of a subfolder, an ExternalArtifact)
    // sees only that tree: a path that works in the repository can fail there, and no folder render shows it.
    // With helm enabled, folder renders run helmCharts but kustomize-controller never does: only the Flux
    // build shows that the cluster would fail on them.
    const helmInFolders = index.settings.helm !== undefined;
    for (const env of index.environments().environments) {
      for (const node of env.cluster?.nodes.values() ?? []) {
        const source = node.source;
        const inTree = source.kind === 'artifact' || (source.kind === 'repository' && source.root !== index.root);
        if ((!inTree && !helmInFolders) || isCancelled()) continue;
        const where =
          source.kind === 'artifact'
            ? source.source
            : source.kind === 'repository'
              ? `the artifact of ${path.posix.relative(index.root, source.root)}/`
              : source.source;
        const ks = node.kustomization;
        // Once per place and message, with the Kustomization whose build it is.
        const report = (problem: Problem, message: string, builds: string) => {
          const range = preciseRange(index, problem);
          const key = `${problem.file}\u0000${range.start.line}:${range.start.character}\u0000${problem.code}\u0000${problem.message}`;
          if (seen.has(key)) return;
          seen.add(key);
          findings.push({
            file: problem.file,
            range,
            message,
            related: [
              { file: ks.place.file, ...(ks.place.range ? { range: ks.place.range } : {}), message: `Kustomization ${ks.name} ${builds}` },
            ],
          });
        };
        for (const problem of node.result?.problems ?? []) {
          if (problem.severity !== 'error' || problem.code === 'flux-path-not-found' || index.fs.kind(problem.file) !== 'file') continue;
          const what = problem.message.replace(/[.\s]+$/, '');
          if (!inTree) {
            if (problem.code === 'helm-not-enabled')
              report(
                problem,
                `Flux's build of Kustomization ${ks.namespace}/${ks.name} fails: ${what}. helm is enabled for folder previews, but kustomize-controller never runs helm: render the chart with a HelmRelease.`,
                'builds this folder',
              );
            continue;
          }
          report(
            problem,
            `Flux's build of Kustomization ${ks.namespace}/${ks.name} fails in ${where}, which holds only what its source holds: ${what}.`,
            `builds it from ${where}`,
          );
        }
      }
    }
    return findings;
  },
};
