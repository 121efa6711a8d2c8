// The overlay-render rules on hostile input: odd shapes, broken YAML, flow style, bad regular
// expressions. Each rule gives a finding or none, never an exception (runRules reports those as failures).
import * as assert from 'assert';
import { overlayRenderRules } from '../../../server/src/rules/index';
import { runRules } from '../../../server/src/rules/run';
import { makeFleet, type Fleet } from './harness';
import { fluxKs, sharedClusterFleet } from './overlayRenderFixtures';

const deployment = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n';

describe('overlay-render rules on hostile input', function () {
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  const cases: Record<string, Record<string, string>> = {
    'odd entry shapes': {
      'a/base/kustomization.yaml': 'resources:\n- d.yaml\n',
      'a/base/d.yaml': deployment,
      'a/x/kustomization.yaml':
        'resources:\n- ../base\n- {a: 1}\n- 5\npatches:\n- 1\n- "x"\n- {target: 5, patch: 7}\n- path: ../../../etc/passwd\nimages:\n- null\n- 5\n- name: 7\n- name: "("\n',
    },
    'flow style and bad regular expressions': {
      'a/base/kustomization.yaml': 'resources: [d.yaml]\n',
      'a/base/d.yaml': deployment,
      'a/prod/kustomization.yaml':
        'resources: [../base]\npatches: [{path: p.yaml}, {target: {kind: "(a+)+", name: "["}, patch: "[]"}]\nimages: [{name: "(a+)+$", newTag: x}]\n',
      'a/prod/p.yaml': deployment,
      'a/staging/kustomization.yaml': 'resources: [d.yaml]\n',
      'a/staging/d.yaml': '- just\n- a list\n---\n' + deployment + '---\n{broken: [\n',
    },
    'legacy fields and broken patch text': {
      'a/base/kustomization.yaml': 'resources:\n- d.yaml\n',
      'a/base/d.yaml': deployment,
      'a/x/kustomization.yaml':
        'resources:\n- ../base\npatchesStrategicMerge:\n- "{not closed"\n- |\n  kind: Deployment\npatchesJson6902:\n- target: {kind: Deployment}\n  patch: "not json"\n',
    },
    'Flux objects with odd specs on a shared cluster': {
      ...sharedClusterFleet('resources:\n- ../base\n', 'resources:\n- ../base\n'),
      'clusters/shared/weird.yaml': fluxKs('weird', './nowhere', '  images:\n  - 5\n  - name: null\n  targetNamespace: 7\n'),
      'clusters/shared/broken.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: [\n',
    },
  };

  for (const [name, files] of Object.entries(cases)) {
    it(`never throws: ${name}`, () => {
      fleet = makeFleet(files);
      const result = runRules(fleet.index, { rules: overlayRenderRules });
      assert.deepStrictEqual(result.failures, []);
    });
  }
});
