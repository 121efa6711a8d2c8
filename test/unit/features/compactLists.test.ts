// Both YAML list styles: indented (`dependsOn:` then `  - name: a`) and compact (`- name: a` at the key's
// column, as the flux CLI and kubectl write). Every position-based feature answers the same in both.
import { strict as assert } from 'assert';
import { definition } from '../../../server/src/features/definition';
import { hover } from '../../../server/src/features/hover';
import { references } from '../../../server/src/features/references';
import { rename } from '../../../server/src/features/rename';
import { makeFeatureFleet, type FeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';

/** The text with every indented block list moved to its key's column (block scalars move with their item). */
function compactLists(text: string): string {
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const key = /^( *)(- )?[^ #-][^:]*:\s*$/.exec(lines[i - 1]);
    if (!key) continue;
    const column = key[1].length + (key[2] ? 2 : 0);
    if (!lines[i].startsWith(' '.repeat(column + 2) + '- ')) continue;
    for (let j = i; j < lines.length && (lines[j].trim() === '' || lines[j].startsWith(' '.repeat(column + 2))); j++)
      lines[j] = lines[j].slice(2);
  }
  return lines.join('\n');
}

describe('features in the compact list style', () => {
  let fleet: FeatureFleet;
  const files = Object.fromEntries(Object.entries(FLUX_FLEET).map(([rel, text]) => [rel, compactLists(text)]));
  before(() => (fleet = makeFeatureFleet(files)));
  after(() => fleet.dispose());

  const params = (rel: string, needle: string, offset: number) => ({
    textDocument: { uri: fleet.uri(rel) },
    position: fleet.at(rel, needle, offset),
  });
  const where = (uri: string, range: { start: { line: number; character: number } }) =>
    `${uri.slice(fleet.uri('').length)}:${range.start.line}:${range.start.character}`;

  it('the fixture really is compact', () => {
    assert.match(files['clusters/staging/apps.yaml'], /\n {2}dependsOn:\n {2}- name: infrastructure\n/);
    assert.match(files['apps/staging/kustomization.yaml'], /\npatches:\n- path: replicas-patch.yaml\n- target:\n {4}kind: Service\n/);
  });

  it('definition follows a dependsOn name and a healthChecks entry', () => {
    const targets = (rel: string, needle: string, offset: number) =>
      (definition(fleet.index, params(rel, needle, offset)) ?? []).map((l) => where(l.targetUri, l.targetSelectionRange));
    assert.deepEqual(targets('clusters/staging/apps.yaml', 'name: infrastructure', 8), ['clusters/staging/infrastructure.yaml:3:8']);
    assert.deepEqual(targets('clusters/staging/apps.yaml', 'name: web', 7), ['apps/base/deployment.yaml:3:8']);
  });

  it('hover describes the Kustomization a dependsOn names, and what a patch changes', () => {
    const text = (rel: string, needle: string, offset: number) => {
      const h = hover(fleet.index, params(rel, needle, offset));
      return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
    };
    assert.match(text('clusters/staging/apps.yaml', 'name: infrastructure', 8), /^\*\*Kustomization `flux-system\/infrastructure`\*\*/);
    assert.match(text('apps/staging/kustomization.yaml', '- path: replicas', 4), /^\*\*Patch\*\* `patches\[0\]`[^]*`spec\.replicas` = `2`/);
    assert.match(text('apps/staging/kustomization.yaml', 'kind: Service', 7), /`Service\/apps\/web`/);
  });

  it('references and rename reach the compact dependsOn entry', () => {
    const found = references(fleet.index, {
      ...params('clusters/staging/infrastructure.yaml', 'name: infrastructure', 8),
      context: { includeDeclaration: false },
    });
    const entry = fleet.range('clusters/staging/apps.yaml', 'infrastructure');
    assert.deepEqual(
      found.map((l) => where(l.uri, l.range)),
      [`clusters/staging/apps.yaml:${entry.start.line}:${entry.start.character}`],
    );
    const result = rename(fleet.index, { ...params('clusters/staging/apps.yaml', 'name: infrastructure', 9), newName: 'infra' });
    assert.ok(result && 'edit' in result);
    assert.deepEqual(result.edit.changes?.[fleet.uri('clusters/staging/apps.yaml')], [{ range: entry, newText: 'infra' }]);
  });
});
