// Which Flux Kustomization of a file a preview renders: the server resolves the YAML document at the cursor
// (the client used to count `---` separators itself; it now sends the position).
import { strict as assert } from 'assert';
import { fluxKustomizationTarget } from '../../../server/src/features/preview';
import { makeFeatureFleet, type FeatureFleet } from './harness';

const ks = (name: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./${name}
`;

const source = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m
  url: https://example.com/fleet.git
  ref:
    branch: main
`;

describe('features/preview: fluxKustomizationTarget', () => {
  let fleet: FeatureFleet;
  const file = 'clusters/prod/apps.yaml';
  before(() => {
    fleet = makeFeatureFleet({
      // A comment and a leading separator before the first document, then three documents.
      [file]: `# the apps of prod\n---\n${source}---\n# infrastructure first\n${ks('infra')}---\n${ks('apps')}`,
      'clusters/prod/plain.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n',
      'apps/kustomization.yaml': 'resources: []\n',
      'infra/kustomization.yaml': 'resources: []\n',
    });
  });
  after(() => fleet.dispose());

  const at = (needle: string, nth = 0) =>
    fluxKustomizationTarget(fleet.index, { uri: fleet.uri(file), position: fleet.at(file, needle, 0, nth) });

  it('gives the document holding the position, counted as the parser counts them', () => {
    assert.deepEqual(at('name: infra'), { kind: 'fluxKustomization', uri: fleet.uri(file), documentIndex: 1 });
    assert.deepEqual(at('name: apps'), { kind: 'fluxKustomization', uri: fleet.uri(file), documentIndex: 2 });
    assert.deepEqual(at('path: ./apps'), { kind: 'fluxKustomization', uri: fleet.uri(file), documentIndex: 2 });
  });

  it('gives a comment between two documents to the document after it', () => {
    assert.deepEqual(at('# infrastructure first'), at('name: infra'));
  });

  it('without a position, gives the file’s first Flux Kustomization (not the GitRepository before it)', () => {
    assert.deepEqual(fluxKustomizationTarget(fleet.index, { uri: fleet.uri(file) }), {
      kind: 'fluxKustomization',
      uri: fleet.uri(file),
      documentIndex: 1,
    });
  });

  it('answers null for a file without a Flux Kustomization, or outside the index', () => {
    assert.equal(
      fluxKustomizationTarget(fleet.index, { uri: fleet.uri('clusters/prod/plain.yaml'), position: { line: 0, character: 0 } }),
      null,
    );
    assert.equal(fluxKustomizationTarget(fleet.index, { uri: 'file:///elsewhere/apps.yaml' }), null);
  });
});
