import { strict as assert } from 'assert';
import { codeLenses } from '../../../server/src/features/codeLens';
import { completion } from '../../../server/src/features/completion';
import { definition } from '../../../server/src/features/definition';
import { hover } from '../../../server/src/features/hover';
import { documentLinks } from '../../../server/src/features/links';
import { references } from '../../../server/src/features/references';
import { rename } from '../../../server/src/features/rename';
import { documentSymbols } from '../../../server/src/features/symbols';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

describe('features on hostile input', () => {
  let fleet: FeatureFleet;
  const hostile: Record<string, string> = {
    'bad/kustomization.yaml': 'resources:\n  - &a [*a]\n  - ../../../../etc\n  - /abs\npatches: {path: 3}\nimages: [1, {name: [x]}]\n',
    'bad/deep.yaml': '['.repeat(3000) + ']'.repeat(3000) + '\n',
    'bad/aliases.yaml': 'a: &a [x, x]\nb: &b [*a, *a, *a]\nc: &c [*b, *b, *b]\nd: [*c, *c, *c]\n',
    'bad/flux.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: [1]}\nspec:\n  dependsOn: [{name: 7}, x, {}]\n  path: ../../..\n  sourceRef: 3\n  healthChecks: [{kind: X}]\n  postBuild: {substituteFrom: [{kind: Secret}]}\n',
    'bad/text.yaml': 'key: "unterminated\n\t- ${\n$${\n${A:=\n',
  };
  before(() => (fleet = makeFeatureFleet({ ...FLUX_FLEET, ...hostile })));
  after(() => fleet.dispose());

  it('answers at every position of hostile files without throwing', function () {
    this.timeout(10000);
    for (const [rel, text] of Object.entries(hostile)) {
      const uri = fleet.uri(rel);
      const textDocument = { uri };
      documentLinks(fleet.index, { textDocument });
      documentSymbols(fleet.index, { textDocument });
      codeLenses(fleet.index, { textDocument });
      const lines = text.split('\n');
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= Math.min(lines[line].length, 60); character += 3) {
          const position = { line, character };
          definition(fleet.index, { textDocument, position });
          hover(fleet.index, { textDocument, position });
          references(fleet.index, { textDocument, position, context: { includeDeclaration: true } });
          completion(fleet.index, { textDocument, position });
          rename(fleet.index, { textDocument, position, newName: 'x' });
        }
      }
    }
    assert.ok(true);
  });
});
