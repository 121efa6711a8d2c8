// The overlay group as a whole: the seed fleet checks clean, hostile kustomization files give findings or
// nothing but never an exception, and a broken overlay is reported once per mistake across the group.
import * as assert from 'assert';
import { overlayRules } from '../../../server/src/rules/index';
import { runRules } from '../../../server/src/rules/run';
import { makeFleet, type Fleet } from './harness';
import { seedFleet } from './overlayHelpers';

describe('overlay rules group', function () {
  this.timeout(10000); // renders every folder of the seed fleet
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('checks the seed fleet clean, every rule', () => {
    fleet = seedFleet();
    const { diagnostics, failures } = runRules(fleet.index, { rules: overlayRules });
    assert.deepStrictEqual(failures, []);
    assert.deepStrictEqual(diagnostics, []);
  });

  it('never throws on hostile kustomization files', () => {
    const deep = 'resources:\n' + '- '.repeat(200) + 'x\n';
    fleet = makeFleet({
      'a/kustomization.yaml': '- just\n- a list\n',
      'b/kustomization.yaml': 'resources: ../not-a-list\nbases: {a: b}\npatches: 7\ncommonLabels: [x]\n',
      'c/kustomization.yaml': 'base: &b\n  - x\nresources: *b\nnamePrefx: &p y\nimageTags: [{name: a, newTg: *p}]\n',
      'd/kustomization.yaml': deep,
      'e/kustomization.yaml': 'resources:\n- "\\u0000"\n- ""\n- ../../../../../../../../../../../../x\n- ' + 'a/'.repeat(500) + '\n',
      'f/kustomization.yaml':
        'configMapGenerator:\n- name: x\n  files: [a=b=c, =x, y=]\n  envs: [null, 3]\nsecretGenerator: [7, null]\npatchesStrategicMerge: [{a: 1}, "{\\"a\\": 1}"]\n',
      'g/kustomization.yaml': 'resources: [\n',
      'h/Kustomization': 'commonLabels:\npatchesJson6902:\n- target:\n  path:\nvars:\n',
      'i/kustomization.yaml': 'resources:\n- ../i\n',
    });
    const { failures } = runRules(fleet.index, { rules: overlayRules });
    assert.deepStrictEqual(failures, []);
  });

  it('reports each mistake of a broken overlay under one rule only', () => {
    fleet = makeFleet({
      'base/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n',
      'overlay/kustomization.yaml': 'bases:\n- ../bse\nnamePrefx: x-\n',
    });
    const { diagnostics } = runRules(fleet.index, { rules: overlayRules });
    assert.deepStrictEqual(
      diagnostics.map((d) => `${d.rule}@${d.range.start.line}`),
      ['deprecated-field@0', 'missing-path@1', 'unknown-field@2'],
    );
  });
});
