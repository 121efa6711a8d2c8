// Test helper for the namespace / prefix-suffix / labels / annotations / name-reference transformers:
// describes a tree of kustomizations, renders it with our transformers in kustomize's order, writes
// the same tree to a temp folder for `kubectl kustomize`, and compares the two as values.
import { spawnSync } from 'child_process';
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { stringify } from 'yaml';
import { parseObjects, requireKubectl } from '../kubectl-oracle';
import { makeResource, resIdOf, idString } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import type { JsonObject, Origin, Problem, Resource } from '../../../server/src/kustomize/types';
import type { FieldSpec } from '../../../server/src/kustomize/fieldspec';
import { namespaceTransformer } from '../../../server/src/kustomize/transformers/namespace';
import { prefixSuffixTransformer } from '../../../server/src/kustomize/transformers/prefixSuffix';
import { labelsTransformer } from '../../../server/src/kustomize/transformers/labels';
import { annotationsTransformer } from '../../../server/src/kustomize/transformers/annotations';
import { nameReferenceTransformer } from '../../../server/src/kustomize/transformers/nameReference';

export interface LabelEntry {
  pairs: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

/** One kustomization: its own resources (YAML text), nested kustomizations, and the fields under test. */
export interface Kust {
  yaml?: string;
  bases?: Kust[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  labels?: LabelEntry[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
}

/** For a `before` hook: fail in CI without kubectl, else skip loudly. */
export function needKubectl(ctx: Mocha.Context): void {
  requireKubectl(ctx, 'the transformer differential tests');
}

const tempRoots: string[] = [];
process.on('exit', () => {
  for (const dir of tempRoots) fs.rmSync(dir, { recursive: true, force: true });
});

function origin(step: string): Origin {
  return { kind: 'transformer', step, file: '/kustomization.yaml' };
}

function renderNode(node: Kust, ctx: TransformContext, at: string): Resource[] {
  let resources: Resource[] = [];
  (node.bases ?? []).forEach((base, i) => {
    resources = resources.concat(renderNode(base, ctx, `${at}/b${i}`));
  });
  if (node.yaml) {
    parseObjects(node.yaml).forEach((object, documentIndex) => {
      resources.push(makeResource(object, { file: `${at}/res.yaml`, documentIndex }));
    });
  }
  if (node.namespace) resources = namespaceTransformer(resources, { namespace: node.namespace, origin: origin('namespace') }, ctx);
  if (node.namePrefix || node.nameSuffix) {
    resources = prefixSuffixTransformer(
      resources,
      { prefix: node.namePrefix ?? '', suffix: node.nameSuffix ?? '', origin: origin('namePrefix') },
      ctx,
    );
  }
  (node.labels ?? []).forEach((entry, i) => {
    resources = labelsTransformer(
      resources,
      {
        pairs: entry.pairs,
        includeSelectors: !!entry.includeSelectors,
        includeTemplates: !!entry.includeTemplates,
        fields: entry.fields,
        origin: origin(`labels[${i}]`),
      },
      ctx,
    );
  });
  if (node.commonLabels) {
    resources = labelsTransformer(
      resources,
      {
        pairs: node.commonLabels,
        includeSelectors: true,
        includeTemplates: true,
        legacyCommonLabels: true,
        origin: origin('commonLabels'),
      },
      ctx,
    );
  }
  if (node.commonAnnotations) {
    resources = annotationsTransformer(resources, { annotations: node.commonAnnotations, origin: origin('commonAnnotations') }, ctx);
  }
  return resources;
}

export interface Ours {
  resources: Resource[];
  objects: JsonObject[];
  problems: Problem[];
}

/** Renders with our transformers; name references are fixed once at the end, like the top-level build. */
export function renderOurs(top: Kust): Ours {
  const ctx: TransformContext = { kustomizationFile: '/kustomization.yaml', problems: [] };
  let resources = renderNode(top, ctx, '');
  if (ctx.problems.length === 0) resources = nameReferenceTransformer(resources, { origin: origin('name references') }, ctx);
  return { resources, objects: resources.map((r) => r.object), problems: ctx.problems };
}

function writeNode(node: Kust, dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  const k: Record<string, unknown> = {};
  const res: string[] = [];
  (node.bases ?? []).forEach((base, i) => {
    writeNode(base, path.join(dir, `b${i}`));
    res.push(`b${i}`);
  });
  if (node.yaml) {
    fs.writeFileSync(path.join(dir, 'res.yaml'), node.yaml);
    res.push('res.yaml');
  }
  k.resources = res;
  for (const key of ['namespace', 'namePrefix', 'nameSuffix', 'labels', 'commonLabels', 'commonAnnotations'] as const) {
    if (node[key] !== undefined) k[key] = node[key];
  }
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), stringify(k));
}

export interface Theirs {
  objects?: JsonObject[];
  error?: string;
}

export function renderKubectl(top: Kust): Theirs {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-names-'));
  tempRoots.push(dir);
  writeNode(top, dir);
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (run.status !== 0) return { error: run.stderr || `exit ${run.status}` };
  return { objects: parseObjects(run.stdout) };
}

function byId(objects: JsonObject[]): JsonObject[] {
  const key = (o: JsonObject) => `${idString(resIdOf(o))}|${JSON.stringify(o)}`;
  return objects.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Asserts that our render equals kubectl's (as sets of objects), or that both fail. Returns our render. */
export function assertSameAsKubectl(top: Kust, expectError?: RegExp): Ours {
  const ours = renderOurs(top);
  const theirs = renderKubectl(top);
  if (theirs.error !== undefined) {
    assert.ok(ours.problems.length > 0, `kubectl failed (${theirs.error.trim()}) but we reported no problem`);
    if (expectError) assert.match(theirs.error, expectError);
    return ours;
  }
  assert.deepStrictEqual(ours.problems, [], 'we reported problems kubectl did not have');
  assert.deepStrictEqual(byId(ours.objects), byId(theirs.objects ?? []));
  return ours;
}

export function find(objects: JsonObject[], kind: string, name: string): JsonObject {
  const found = objects.find((o) => o.kind === kind && resIdOf(o).name === name);
  assert.ok(found, `no ${kind}/${name} in ${objects.map((o) => idString(resIdOf(o))).join(', ')}`);
  return found;
}
