// A `${VAR}` in what a Flux Kustomization applies that no postBuild variable defines and that has no
// default: with strict substitution (kustomize-controller v1.9's default) the build fails, an error; without
// it the cluster silently gets an empty string (or, when postBuild defines no variables, the literal text).
// Reported where the `${VAR}` is written, not where the render ends up. When the Kustomization reads
// substituteFrom objects that exist only on the cluster, the quick fix adds the variable to the environment's
// local stand-ins in .fluxenv.yaml (fleet/repoConfig.ts).
import * as path from 'path';
import type { FleetIndex } from '../fleet/fleetIndex';
import type { FluxKustomization } from '../flux/objects';
import type { UnresolvedVariable } from '../flux/substitute';
import type { Origin, Place, Range, Resource } from '../kustomize/types';
import { findText } from './support/fluxSpecHelpers';
import { REPO_CONFIG_FILE } from '../fleet/repoConfig';
import { isObject } from '../kustomize/resource';
import { insertMapEntry } from '../kustomize/yaml/edit';
import type { Finding, Fix, Rule, TextEdit } from './rule';

/** Who wrote the value at `path`: the deepest recorded origin that is not the substitution itself. */
function writerOf(resource: Resource, valuePath: ReadonlyArray<string | number>): Origin | undefined {
  for (let n = valuePath.length; n >= 0; n--) {
    const hit = resource.setBy.get(valuePath.slice(0, n).join('/'));
    if (hit && hit.kind !== 'substitution') return hit;
  }
  return undefined;
}

/** The place in a source file where `${variable}` is written for the unresolved reference. */
function placeOfReference(index: FleetIndex, resource: Resource, u: UnresolvedVariable): Place | undefined {
  const needles = [`\${${u.variable}}`, `\${${u.variable}`];
  const search = (file: string, ...ranges: Array<Range | undefined>): Place | undefined => {
    const text = index.text(file);
    if (text === undefined) return undefined;
    for (const range of ranges) {
      for (const needle of needles) {
        const found = findText(text, needle, range);
        if (found) return { file, range: found };
      }
    }
    return undefined;
  };
  const writer = writerOf(resource, u.path);
  if (writer && writer.kind !== 'resource') return search(writer.file, writer.range, undefined);
  const doc = index.parsed(resource.source.file)?.documents[resource.source.documentIndex];
  if (!doc) return search(resource.source.file, undefined);
  return search(resource.source.file, doc.locate(u.path, { key: u.inKey }), doc.range);
}

function messageFor(u: UnresolvedVariable, names: string, clusterOnly: string[]): string {
  const reference = `\${${u.variable}}`;
  if (u.outcome === 'kept') {
    return `${reference} reaches the cluster as the literal text ${reference}: Kustomization ${names} has a postBuild that defines no variables, so substitution does not run. Add ${u.variable} to spec.postBuild.substitute of that Kustomization (or remove the empty postBuild if the text is meant literally).`;
  }
  const outcome =
    u.outcome === 'error'
      ? `and strict substitution is on, so the build fails (Flux 2.9's default, kustomize-controller v1.9; with an older Flux or the StrictPostBuildSubstitutions gate off the cluster gets an empty string instead: say so with strictSubstitution: false in ${REPO_CONFIG_FILE})`
      : 'so the cluster gets an empty string here';
  const standIn =
    clusterOnly.length > 0
      ? ` If it comes from ${clusterOnly.join(', ')} (not in the repository), give it a local stand-in under substitutions in ${REPO_CONFIG_FILE}.`
      : '';
  return `${reference} is not substituted by Kustomization ${names}: no postBuild.substitute entry or substituteFrom key defines it and it has no default, ${outcome}. Add ${u.variable} to spec.postBuild.substitute of that Kustomization, or give it a default: \${${u.variable}:=value}; if it is meant for a shell or the application, not for Flux, write $\${${u.variable}} (Flux turns $$ into $).${standIn}`;
}

/** Kustomizations reading optional ConfigMaps/Secrets the render could not find: their variables are unknown, not unset. */
function readsUnknownVariables(ks: FluxKustomization, rendered: ReadonlySet<string>): boolean {
  return (ks.postBuild?.substituteFrom ?? []).some((ref) => ref.optional && !rendered.has(`${ref.kind}/${ks.namespace}/${ref.name}`));
}

export const unresolvedVariable: Rule = {
  id: 'unresolved-variable',
  severity: 'warning',
  category: 'flux',
  description: '${VAR} in what a Flux Kustomization applies that no postBuild variable defines and that has no default.',
  check({ index, isCancelled }) {
    const byPlace = new Map<
      string,
      { place: Place; u: UnresolvedVariable; users: FluxKustomization[]; environments: string[]; clusterOnly: string[] }
    >();
    for (const env of index.environments().environments) {
      if (env.kind !== 'flux' || isCancelled()) continue;
      const render = index.renderEnvironment(env);
      const rendered = new Set(
        render.objects
          .filter((o) => o.object.kind === 'ConfigMap' || o.object.kind === 'Secret')
          .map((o) => {
            const meta = o.object.metadata as { name?: unknown; namespace?: unknown } | undefined;
            return `${String(o.object.kind)}/${typeof meta?.namespace === 'string' ? meta.namespace : 'default'}/${String(meta?.name)}`;
          }),
      );
      for (const { kustomization: ks, result } of render.kustomizations) {
        if (result.unresolved.length === 0 || readsUnknownVariables(ks, rendered)) continue;
        const clusterOnly = (ks.postBuild?.substituteFrom ?? [])
          .filter((ref) => !rendered.has(`${ref.kind}/${ks.namespace}/${ref.name}`))
          .map((ref) => `${ref.kind} ${ref.name}`);
        for (const u of result.unresolved) {
          const resource = result.resources[u.objectIndex];
          if (!resource) continue;
          const place = placeOfReference(index, resource, u);
          if (!place?.range) continue;
          const key = `${place.file}:${place.range.start.line}:${place.range.start.character}:${u.variable}`;
          const entry = byPlace.get(key);
          if (!entry) byPlace.set(key, { place, u, users: [ks], environments: [env.name], clusterOnly });
          else {
            if (!entry.users.some((k) => k.place.file === ks.place.file && k.place.documentIndex === ks.place.documentIndex))
              entry.users.push(ks);
            if (!entry.environments.includes(env.name)) entry.environments.push(env.name);
            for (const c of clusterOnly) if (!entry.clusterOnly.includes(c)) entry.clusterOnly.push(c);
          }
        }
      }
    }
    const findings: Finding[] = [];
    for (const { place, u, users, environments, clusterOnly } of byPlace.values()) {
      const names = users.map((k) => `${k.name} (${path.posix.relative(index.root, k.place.file)})`).join(', ');
      const fixes =
        clusterOnly.length > 0 ? environments.map((env) => standInFix(index, env, u.variable)).filter((f) => f !== undefined) : [];
      findings.push({
        file: place.file,
        range: place.range!,
        message: messageFor(u, names, clusterOnly),
        ...(u.outcome === 'error' ? { severity: 'error' as const } : {}),
        ...(fixes.length > 0 ? { fixes } : {}),
        related: users.map((k) => ({
          file: k.place.file,
          ...((k.place.rangeOf?.(['spec', 'postBuild']) ?? k.place.range)
            ? { range: k.place.rangeOf?.(['spec', 'postBuild']) ?? k.place.range }
            : {}),
          message: `Kustomization ${k.name} applies this without defining ${u.variable}`,
        })),
      });
    }
    return findings;
  },
};

/** Adds `VARIABLE: ""` to the environment's stand-in values in .fluxenv.yaml (creating what is missing). */
function standInFix(index: FleetIndex, environment: string, variable: string): Fix | undefined {
  const file = path.posix.join(index.root, REPO_CONFIG_FILE);
  const title = `Add ${variable} to the ${environment} stand-ins in ${REPO_CONFIG_FILE}`;
  const text = index.text(file);
  const entry = `${variable}: ""`;
  if (text === undefined) {
    const created = `substitutions:\n  ${environment}:\n    values:\n      ${entry}\n`;
    return { title, edits: [{ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: created }] };
  }
  const doc = index.parsed(file)?.documents[0];
  if (!doc) return undefined;
  const value = doc.value;
  const section = isObject(value) ? value.substitutions : undefined;
  const env = isObject(section) ? section[environment] : undefined;
  let edit: TextEdit | undefined;
  if (isObject(env) && isObject(env.values))
    edit = insertMapEntry(file, text, doc, ['substitutions', environment, 'values'], variable, '""');
  else if (isObject(env)) edit = insertMapEntry(file, text, doc, ['substitutions', environment], 'values', `\n      ${entry}`);
  else if (isObject(section)) edit = insertMapEntry(file, text, doc, ['substitutions'], environment, `\n    values:\n      ${entry}`);
  else if (section === undefined) {
    const lines = text.split('\n');
    const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
    const prefix = text === '' || text.endsWith('\n') ? '' : '\n';
    edit = { file, range: { start: end, end }, newText: `${prefix}substitutions:\n  ${environment}:\n    values:\n      ${entry}\n` };
  }
  return edit ? { title, edits: [edit] } : undefined;
}
