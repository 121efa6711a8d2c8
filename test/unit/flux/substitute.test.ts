import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { readFluxObject, type FluxKustomization } from '../../../server/src/flux/objects';
import { collectVars, substitute } from '../../../server/src/flux/substitute';
import type { JsonObject } from '../../../server/src/kustomize/types';

const cm = (data: JsonObject, metadata: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', ...metadata },
  data,
});

describe('flux/substitute', () => {
  it('substitutes the docs example, with defaults and inline values', () => {
    const ns = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'apps', labels: { environment: '${cluster_env:=dev}', region: '${cluster_region}' } },
    };
    const out = substitute([ns], { cluster_region: 'eu-central-1' });
    assert.deepEqual(out.problems, []);
    assert.deepEqual((out.objects[0].metadata as JsonObject).labels, { environment: 'dev', region: 'eu-central-1' });
    assert.deepEqual(
      out.substituted.map((s) => s.path.join('/')),
      ['metadata/labels/environment', 'metadata/labels/region'],
    );
  });

  it('re-reads substituted plain scalars with YAML 1.1 types, as the controller does', () => {
    const deploy = {
      kind: 'Deployment',
      spec: { replicas: '${count}', paused: '${flag}', quoted: '"${count}"', name: 'app-${count}', list: '${items}' },
    };
    const out = substitute([deploy], { count: '3', flag: 'on', items: '[a, 1]' });
    assert.deepEqual(out.objects[0].spec, { replicas: 3, paused: true, quoted: '"3"', name: 'app-3', list: ['a', 1] });
  });

  it('gives every object its own copy of a list read back from the same substituted text', () => {
    const deploy = () => ({ kind: 'Deployment', spec: { list: '${items}', also: '${items}' } });
    const first = substitute([deploy(), deploy()], { items: '[a, {b: 1}]' });
    const [one, two] = first.objects.map((o) => o.spec as JsonObject);
    assert.deepEqual(
      [one.list, one.also, two.list],
      [
        ['a', { b: 1 }],
        ['a', { b: 1 }],
        ['a', { b: 1 }],
      ],
    );
    // A later step changing one object (a patch, a label) must not reach another, nor a later substitution.
    ((one.list as JsonObject[])[1] as JsonObject).b = 2;
    assert.deepEqual(
      [one.also, two.list],
      [
        ['a', { b: 1 }],
        ['a', { b: 1 }],
      ],
    );
    assert.deepEqual(substitute([deploy()], { items: '[a, {b: 1}]' }).objects[0].spec, { list: ['a', { b: 1 }], also: ['a', { b: 1 }] });
  });

  it('leaves unset variables empty (or fails in strict mode) and reports each occurrence with its path', () => {
    const obj = cm({ a: 'x-${missing}', b: '${missing:=fallback}', c: '${present}' });
    const loose = substitute([obj], { present: 'p' });
    assert.deepEqual(loose.objects[0].data, { a: 'x-', b: 'fallback', c: 'p' });
    assert.deepEqual(loose.unresolved, [{ objectIndex: 0, path: ['data', 'a'], variable: 'missing', inKey: false, outcome: 'empty' }]);
    const strict = substitute([obj], { present: 'p' }, { strict: true, file: '/c/ks.yaml' });
    assert.equal(strict.objects[0], obj, 'a failed object is not changed');
    assert.equal(strict.problems[0].code, 'flux-substitute-unset');
    assert.match(strict.problems[0].message, /variable not set \(strict mode\): "missing"/);
    assert.equal(strict.unresolved[0].outcome, 'error');
  });

  it('runs only when some variable is defined: otherwise ${VAR} reaches the cluster literally', () => {
    const obj = cm({ a: '${x:=d}', b: '$${y}' });
    const out = substitute([obj], {});
    assert.equal(out.objects[0], obj);
    assert.deepEqual(
      out.unresolved.map((u) => [u.variable, u.outcome]),
      [['x', 'kept']],
    );
  });

  it('turns $${var} into ${var} and $$ into $, and leaves $var alone', () => {
    const out = substitute([cm({ script: 'echo $HOME $${keep} $$ ${v}' })], { v: '1' });
    assert.equal((out.objects[0].data as JsonObject).script, 'echo $HOME ${keep} $ 1');
  });

  it('skips objects labelled or annotated substitute: disabled', () => {
    const off = cm({ a: '${v}' }, { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } });
    const offByLabel = cm({ a: '${v}' }, { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } });
    const out = substitute([off, offByLabel], { v: '1' });
    assert.equal(out.objects[0], off);
    assert.equal(out.objects[1], offByLabel);
    assert.deepEqual(out.unresolved, []);
  });

  it('implements the envsubst functions of the Flux docs and their quirks', () => {
    const data = { a: '${v:position}', b: '${v:1:3}', c: '${v/ll/LL}', d: '${v^^}', e: '${#v}', f: '${e:-dflt}', g: '${unset:+alt}' };
    const out = substitute([cm(data)], { v: 'hello', e: '' });
    assert.deepEqual(out.objects[0].data, { a: 'hello', b: 'ell', c: 'heLLo', d: 'HELLO', e: 5, f: 'dflt', g: 'alt' });
  });

  it('trims prefixes and suffixes by drone/envsubst glob patterns, a `-` or `/` in them taken literally', () => {
    // drone/envsubst funcs.go trimShortest/trimLongest over its path.Match: `${host#*.}` style trims of fleet hostnames.
    const data = {
      a: '${h#prod-}',
      b: '${h%-eu.example.com}',
      c: '${h#*.}',
      d: '${h##*.}',
      e: '${h%.*}',
      f: '${p#apps/}',
      g: '${h#[a-p]}',
    };
    const out = substitute([cm(data)], { h: 'prod-eu.example.com', p: 'apps/web' });
    assert.deepEqual(out.objects[0].data, {
      a: 'eu.example.com',
      b: 'prod',
      c: 'example.com',
      d: 'com',
      e: 'prod-eu.example',
      f: 'web',
      g: 'rod-eu.example.com',
    });
  });

  it('reports syntax errors (the build fails) with the offending value', () => {
    const out = substitute([cm({ a: '${v-default}' })], { v: '1' }, { file: '/c/ks.yaml' });
    assert.equal(out.problems[0].code, 'flux-substitute-syntax');
    assert.match(out.problems[0].message, /missing closing brace/);
  });

  it('refuses invalid variable names for the whole Kustomization', () => {
    const out = substitute([cm({ a: '${v}' })], { 'my-var': 'x', v: '1' }, { file: '/c/ks.yaml' });
    assert.equal(out.problems[0].code, 'flux-substitute-invalid-name');
    assert.match(out.problems[0].message, /'my-var' is invalid/);
  });

  it('collects variables: substituteFrom in order, later wins, inline wins over all, Secrets decoded, newlines dropped', () => {
    const ks = readFluxObject(
      parse(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  postBuild:
    substitute: { region: eu-west-1 }
    substituteFrom:
      - { kind: ConfigMap, name: cluster-vars }
      - { kind: Secret, name: cluster-secrets }
      - { kind: ConfigMap, name: optional-vars, optional: true }
      - { kind: ConfigMap, name: required-vars }
`) as JsonObject,
      { file: '/repo/clusters/prod/apps.yaml', documentIndex: 0 },
    ).value as FluxKustomization;
    const objects: Record<string, JsonObject> = {
      'ConfigMap/flux-system/cluster-vars': cm({ env: 'prod', region: 'us', token: 'plain', multi: 'a\nb' }),
      'Secret/flux-system/cluster-secrets': {
        kind: 'Secret',
        data: { token: Buffer.from('s3cr3t\n').toString('base64') },
        stringData: { user: 'admin' },
      },
    };
    const found = collectVars(ks, (kind, namespace, name) => {
      const object = objects[`${kind}/${namespace}/${name}`];
      return object ? { object, file: `/repo/${name}.yaml` } : undefined;
    });
    assert.deepEqual(Object.fromEntries(found.vars), { env: 'prod', region: 'eu-west-1', token: 's3cr3t', multi: 'ab', user: 'admin' });
    assert.equal(found.origins.get('token')!.from, 'Secret');
    assert.equal(found.origins.get('region')!.from, 'substitute');
    assert.deepEqual(
      found.problems.map((p) => p.code),
      ['flux-substitute-from-missing'],
    );
    assert.match(found.problems[0].message, /required-vars/);
  });
});
