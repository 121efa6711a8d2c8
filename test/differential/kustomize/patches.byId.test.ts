// Patches by id in a large overlay go through an index and change the list in place; these check that
// the output still is kubectl's, byte for byte, when ids change between patches (renames, deletions).
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderKustomization } from '../../../server/src/kustomize/render';
import { originAt } from '../../../server/src/kustomize/resource';
import { requireKubectl } from '../kubectl-oracle';

function writeFolder(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-patches-by-id-'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function kubectlOutput(dir: string): string {
  return execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  x: "1"\n`;
const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: 1\n`;
const inlinePatch = (text: string) => `  - patch: |\n${text.trimEnd().replace(/^/gm, '      ')}\n`;

describe('patches by id (indexed)', function () {
  this.timeout(20_000);
  const dirs: string[] = [];
  before(function () {
    requireKubectl(this);
  });
  after(() => {
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('matches kubectl when objects are renamed and deleted between patches', () => {
    const patches = [
      inlinePatch('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  before: rename\n'),
      `  - target:\n      kind: ConfigMap\n      name: a\n    patch: |\n      - op: replace\n        path: /metadata/name\n        value: a2\n`,
      inlinePatch('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  old: name\n'),
      inlinePatch('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a2\ndata:\n  new: name\n'),
      inlinePatch('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n$patch: delete\n'),
      inlinePatch('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 3\n'),
      `  - target:\n      kind: Deployment\n    patch: |\n      - op: add\n        path: /metadata/labels\n        value: {x: "y"}\n`,
      inlinePatch('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d\nspec:\n  replicas: 4\n'),
    ];
    const dir = writeFolder({
      'objects.yaml': [configMap('a'), configMap('b'), deployment('d')].join('---\n'),
      'kustomization.yaml': `resources:\n  - objects.yaml\npatches:\n${patches.join('')}`,
    });
    dirs.push(dir);
    const ours = renderKustomization(dir, { repoRoot: dir });
    assert.deepEqual(
      ours.problems.filter((p) => p.severity === 'error'),
      [],
    );
    assert.equal(ours.yaml, kubectlOutput(dir));
    const d = ours.resources.find((r) => r.object.kind === 'Deployment');
    assert.ok(d);
    assert.equal(originAt(d, ['spec', 'replicas'])?.kind, 'patch');
    assert.equal(originAt(d, ['spec', 'replicas'])?.range?.start.line, 56, 'the last patch of replicas, in the kustomization file');
  });

  it('matches kubectl with one patch per object over many objects, and fails like it on a missing id', () => {
    const names = Array.from({ length: 60 }, (_, i) => `app-${String(i).padStart(2, '0')}`);
    const files: Record<string, string> = { 'objects.yaml': names.map(deployment).join('---\n') };
    for (const name of names)
      files[`patches/${name}.yaml`] =
        `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${name.length}\n`;
    const entries = names.map((n) => `  - path: patches/${n}.yaml\n`).join('');
    const dir = writeFolder({ ...files, 'kustomization.yaml': `resources:\n  - objects.yaml\npatches:\n${entries}` });
    dirs.push(dir);
    const ours = renderKustomization(dir, { repoRoot: dir });
    assert.equal(ours.yaml, kubectlOutput(dir));

    fs.writeFileSync(path.join(dir, 'patches/app-59.yaml'), 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: missing\n');
    const failed = renderKustomization(dir, { repoRoot: dir });
    assert.equal(failed.yaml, undefined);
    const problem = failed.problems.find((p) => p.code === 'patch-no-match');
    assert.ok(problem);
    assert.match(problem.message, /no matches for Id Deployment\.v1\.apps\/missing\.\[noNs\]/);
    assert.throws(() => kubectlOutput(dir));
  });
});
