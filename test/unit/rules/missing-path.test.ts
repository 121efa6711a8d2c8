import * as assert from 'assert';
import { missingPath } from '../../../server/src/rules/missing-path';
import type { Fleet } from './harness';
import { assertSeedClean, baseFleet } from './overlayHelpers';

const overlay = (body: string) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n${body}`;

describe('rule missing-path', function () {
  this.timeout(10000); // kubectl runs, slower on a loaded machine
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean', () => assertSeedClean(missingPath));

  it('does not trigger when every entry exists', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\npatches:\n- path: patch.yaml\nconfigMapGenerator:\n- name: cfg\n  files:\n  - app.conf\n  - key=app.conf\n  envs:\n  - app.env\n',
      ),
      'apps/staging/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n',
      'apps/staging/app.conf': 'x=1\n',
      'apps/staging/app.env': 'A=1\n',
    });
    assert.deepStrictEqual(fleet.check(missingPath), []);
  });

  it('suggests deployment.yaml for deploy.yml', () => {
    fleet = baseFleet({ 'apps/base/my-app/kustomization.yaml': overlay("resources:\n- 'deploy.yml'\n- service.yaml\n") });
    const [d] = fleet.check(missingPath);
    assert.deepStrictEqual(d.range.start, { line: 3, character: 2 });
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('apps/base/my-app/kustomization.yaml'), /\n- 'deployment\.yaml'\n/);
    assert.deepStrictEqual(fleet.check(missingPath), []);
  });

  it('covers components, patch paths, legacy fields, generator files, configurations, crds and replacements', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        [
          'resources:',
          '- ../base/my-app',
          'components:',
          '- ../components/nope',
          'patches:',
          '- path: patch.yml',
          'patchesStrategicMerge:',
          '- psm.yaml',
          '- |-',
          '  apiVersion: v1',
          '  kind: Service',
          '  metadata: {name: my-app}',
          'patchesJson6902:',
          '- target: {kind: Service, name: my-app}',
          '  path: json.yaml',
          'configMapGenerator:',
          '- name: cfg',
          '  files: [key=conf/app.conf]',
          '  envs: [app.env]',
          'secretGenerator:',
          '- name: s',
          '  env: s.env',
          'configurations: [config.yaml]',
          'crds: [crd.json]',
          'replacements:',
          '- path: repl.yaml',
          '',
        ].join('\n'),
      ),
      'apps/staging/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n',
    });
    const found = fleet
      .check(missingPath)
      .map((d) => `${d.range.start.line}:${d.range.start.character} ${/in (.*?) (does|is)/.exec(d.message)?.[1]}`);
    assert.deepStrictEqual(found, [
      '5:2 components',
      '7:8 patches[].path',
      '9:2 patchesStrategicMerge',
      '16:8 patchesJson6902[].path',
      '19:10 configMapGenerator files',
      '20:9 configMapGenerator envs',
      '23:7 secretGenerator env',
      '24:17 configurations',
      '25:7 crds',
      '27:8 replacements[].path',
    ]);
    const patch = fleet.check(missingPath).find((d) => d.range.start.line === 7)!;
    assert.match(patch.message, /Did you mean 'patch\.yaml'/);
    fleet.apply(patch.fixes![0]);
    assert.match(fleet.read('apps/staging/kustomization.yaml'), /\n- path: patch\.yaml\n/);
  });

  it('keeps the key of a key=path generator source and flags a folder given where a file is needed', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- ../base/my-app\nconfigMapGenerator:\n- name: cfg\n  files:\n  - my.conf=app.cnf\npatches:\n- path: patches\n',
      ),
      'apps/staging/app.conf': 'x=1\n',
      'apps/staging/patches/p.yaml': 'a: 1\n',
    });
    const [gen, folder] = fleet.check(missingPath);
    assert.deepStrictEqual(gen.range, { start: { line: 7, character: 4 }, end: { line: 7, character: 19 } });
    assert.match(folder.message, /is a folder, but patches\[\]\.path needs a file/);
    fleet.apply(gen.fixes![0]);
    assert.match(fleet.read('apps/staging/kustomization.yaml'), /\n {2}- my\.conf=app\.conf\n/);
  });

  it('offers no fix when nothing near matches, and says what to do', () => {
    fleet = baseFleet({ 'apps/staging/kustomization.yaml': overlay('resources:\n- ../base/zzzzzzzz\n') });
    const [d] = fleet.check(missingPath);
    assert.strictEqual(d.fixes, undefined);
    assert.match(d.message, /Correct the path or remove the entry/);
  });

  it('ignores remote, absolute and outside paths (other rules report them) and survives hostile input', () => {
    fleet = baseFleet({
      'apps/staging/kustomization.yaml': overlay(
        'resources:\n- https://github.com/org/repo//deploy?ref=v1\n- /etc/passwd\n- ../../../../outside\n- 7\n- {a: b}\n',
      ),
      'apps/bad/kustomization.yaml': 'resources: [: nope\n',
      'apps/empty/kustomization.yaml': '',
    });
    assert.deepStrictEqual(fleet.check(missingPath), []);
  });
});
