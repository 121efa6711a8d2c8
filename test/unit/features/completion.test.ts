import { strict as assert } from 'assert';
import { CompletionItemTag, type CompletionItem } from 'vscode-languageserver';
import { completion } from '../../../server/src/features/completion';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features/completion', () => {
  let fleet: FeatureFleet;
  const files: Record<string, string> = {
    ...FLUX_FLEET,
    'apps/base/deployment.yaml': FLUX_FLEET['apps/base/deployment.yaml'].replace('cluster: ${CLUSTER_NAME}', 'cluster: ${CL'),
    'apps/production/kustomization.yaml': FLUX_FLEET['apps/production/kustomization.yaml'] + '  - name: nginx\n    \n',
    'apps/staging/kustomization.yaml': FLUX_FLEET['apps/staging/kustomization.yaml']
      .replace('kind: Service', 'kind: Se')
      .replace('      name: web', '      name: '),
    'clusters/staging/apps.yaml': FLUX_FLEET['clusters/staging/apps.yaml'].replace('    - name: infrastructure', '    - name: inf'),
    'apps/other/kustomization.yaml': 'resources:\n  - ../base\nna\n',
  };
  before(() => (fleet = makeFeatureFleet(files)));
  after(() => fleet.dispose());

  const complete = (rel: string, needle: string, offset: number): CompletionItem[] =>
    completion(fleet.index, { textDocument: { uri: fleet.uri(rel) }, position: fleet.at(rel, needle, offset) });
  const labels = (items: CompletionItem[]) => items.map((i) => i.label);

  it('offers the top-level fields not yet written, deprecated ones tagged, replacing the typed word', () => {
    const items = complete('apps/other/kustomization.yaml', '\nna', 3);
    assert.ok(labels(items).includes('namePrefix') && labels(items).includes('patches'));
    assert.ok(!labels(items).includes('resources'), 'resources is already written');
    const bases = items.find((i) => i.label === 'bases');
    assert.deepEqual(bases?.tags, [CompletionItemTag.Deprecated]);
    assert.match(JSON.stringify(bases?.documentation), /use `resources` instead/);
    const prefix = items.find((i) => i.label === 'namePrefix');
    assert.deepEqual(prefix?.textEdit, { range: fleet.range('apps/other/kustomization.yaml', 'na'), newText: 'namePrefix:' });
  });

  it('offers nested fields from the Go types (an images entry)', () => {
    assert.deepEqual(labels(complete('apps/production/kustomization.yaml', '  - name: nginx\n    \n', 20)), [
      'name',
      'newName',
      'tagSuffix',
      'newTag',
      'digest',
    ]);
  });

  it('offers patch target kinds and names from the render of the folder', () => {
    assert.deepEqual(labels(complete('apps/staging/kustomization.yaml', 'kind: Se', 8)), ['Deployment', 'Service']);
    assert.deepEqual(labels(complete('apps/staging/kustomization.yaml', '      name: ', 12)), ['web']);
  });

  it('offers dependsOn names of the same cluster, not the Kustomization itself', () => {
    const items = complete('clusters/staging/apps.yaml', 'name: inf', 9);
    assert.deepEqual(labels(items), ['infrastructure']);
    assert.deepEqual(items[0].textEdit, { range: fleet.range('clusters/staging/apps.yaml', 'inf'), newText: 'infrastructure' });
  });

  it('offers the ${VAR} names of the Flux Kustomizations applying the file, with their origin', () => {
    const items = complete('apps/base/deployment.yaml', '${CL', 4);
    assert.deepEqual(labels(items), ['CLUSTER_NAME', 'REGION']);
    assert.match(items[1].detail ?? '', /ConfigMap cluster-vars of Kustomization flux-system\/apps \(staging\)/);
  });

  it('offers nothing after an escaped $${ or outside known places', () => {
    const text = 'a: $${CL\n';
    fleet.index.setBuffer(fleet.file('apps/base/deployment.yaml'), text);
    try {
      assert.deepEqual(
        completion(fleet.index, { textDocument: { uri: fleet.uri('apps/base/deployment.yaml') }, position: { line: 0, character: 8 } }),
        [],
      );
    } finally {
      fleet.index.closeBuffer(fleet.file('apps/base/deployment.yaml'));
    }
    assert.deepEqual(complete('apps/base/service.yaml', 'port: 80', 7), []);
  });

  describe("in the compact list style (a list at its key's column, as the flux CLI writes)", () => {
    let compact: FeatureFleet;
    before(
      () =>
        (compact = makeFeatureFleet({
          ...FLUX_FLEET,
          'clusters/staging/apps.yaml': FLUX_FLEET['clusters/staging/apps.yaml'].replace(
            '  dependsOn:\n    - name: infrastructure\n',
            '  dependsOn:\n  - name: inf\n',
          ),
          'apps/staging/kustomization.yaml': [
            'apiVersion: kustomize.config.k8s.io/v1beta1',
            'kind: Kustomization',
            'resources:',
            '- ../base',
            'patches:',
            '- path: replicas-patch.yaml',
            '- target:',
            '    kind: Se',
            '    name: ',
            '  patch: |-',
            '    - op: replace',
            '      path: /spec/ports/0/port',
            '      value: 8080',
            'images:',
            '- name: nginx',
            '  ',
            '',
          ].join('\n'),
        })),
    );
    after(() => compact.dispose());
    const completeCompact = (rel: string, needle: string, offset: number): CompletionItem[] =>
      completion(compact.index, { textDocument: { uri: compact.uri(rel) }, position: compact.at(rel, needle, offset) });

    it('offers dependsOn names', () => {
      const items = completeCompact('clusters/staging/apps.yaml', 'name: inf', 9);
      assert.deepEqual(labels(items), ['infrastructure']);
      assert.deepEqual(items[0].textEdit, { range: compact.range('clusters/staging/apps.yaml', 'inf'), newText: 'infrastructure' });
    });

    it('offers patch target kinds and names', () => {
      assert.deepEqual(labels(completeCompact('apps/staging/kustomization.yaml', 'kind: Se', 8)), ['Deployment', 'Service']);
      assert.deepEqual(labels(completeCompact('apps/staging/kustomization.yaml', '    name: ', 10)), ['web']);
    });

    it('offers the fields of a list entry (an images entry)', () => {
      assert.deepEqual(labels(completeCompact('apps/staging/kustomization.yaml', '- name: nginx\n  ', 16)), [
        'name',
        'newName',
        'tagSuffix',
        'newTag',
        'digest',
      ]);
    });
  });
});
