// FleetIndex.remember: rule results are reused after an edit only when nothing they read changed. Wrong
// reuse shows up as a diagnostic that does not follow an edit, so each way of changing a dependency is tried.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { runRules } from '../../../server/src/rules/run';

function writeRepo(files: Record<string, string>): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-remember-')));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  return root;
}

describe('FleetIndex.remember', () => {
  let root: string;
  let index: FleetIndex;
  beforeEach(() => {
    root = writeRepo({
      'a/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'a/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'b/kustomization.yaml': 'resources:\n  - cm.yaml\n',
      'b/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    index = new FleetIndex(root);
    index.scan();
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const countingRender = (dir: string) => {
    let runs = 0;
    const get = () =>
      index.remember(`test:${dir}`, () => {
        runs++;
        return index.renderFolder(path.posix.join(root, dir)).resources.map((r) => String((r.object.metadata as { name: string }).name));
      });
    return { get, runs: () => runs };
  };

  it('reuses a value until a file it read (through a render) is edited, and ignores edits elsewhere', () => {
    const a = countingRender('a');
    assert.deepStrictEqual(a.get(), ['a']);
    assert.deepStrictEqual(a.get(), ['a']);
    assert.strictEqual(a.runs(), 1);
    index.setBuffer(path.posix.join(root, 'b/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b2\n');
    a.get();
    assert.strictEqual(a.runs(), 1, 'an edit of a file the value never read must not recompute it');
    index.setBuffer(path.posix.join(root, 'a/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a2\n');
    assert.deepStrictEqual(a.get(), ['a2']);
    assert.strictEqual(a.runs(), 2);
    index.closeBuffer(path.posix.join(root, 'a/cm.yaml'));
    assert.deepStrictEqual(a.get(), ['a'], 'closing the buffer brings the disk text back');
  });

  it('recomputes after a file appears or disappears, even one it never read', () => {
    const a = countingRender('a');
    a.get();
    fs.writeFileSync(path.join(root, 'a/other.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: other\n');
    index.diskCreated(path.posix.join(root, 'a/other.yaml'));
    a.get();
    assert.strictEqual(a.runs(), 2);
  });

  it('makes an outer value depend on what an inner remembered value read', () => {
    let outerRuns = 0;
    const inner = () => index.remember('inner', () => index.text(path.posix.join(root, 'a/cm.yaml')));
    const outer = () =>
      index.remember('outer', () => {
        outerRuns++;
        return inner()?.length;
      });
    // The inner value is remembered first, so the outer computation gets it without reading the file itself.
    inner();
    outer();
    index.setBuffer(path.posix.join(root, 'b/cm.yaml'), 'x: 1\n');
    outer();
    assert.strictEqual(outerRuns, 1);
    index.setBuffer(path.posix.join(root, 'a/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: changed\n');
    outer();
    assert.strictEqual(outerRuns, 2, 'the edit of a file only the inner value read must reach the outer one');
  });

  it('recomputes a value that looked at the Flux objects when a Flux object changes in a file it did not read', () => {
    const ksFile = path.posix.join(root, 'clusters/dev/apps.yaml');
    const flux = (name: string) =>
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./a\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`;
    index.setBuffer(ksFile, flux('apps'));
    const names = () => index.remember('names', () => index.fluxObjects().list.map((o) => o.object.name));
    assert.deepStrictEqual(names(), ['apps']);
    index.setBuffer(ksFile, flux('renamed'));
    assert.deepStrictEqual(names(), ['renamed']);
  });

  it('does not keep a value the caller says is incomplete', () => {
    let runs = 0;
    const get = (keep: boolean) =>
      index.remember(
        'partial',
        () => ++runs,
        () => keep,
      );
    get(false);
    get(false);
    assert.strictEqual(runs, 2);
  });

  it('keeps rule findings in step with edits through runRules', () => {
    const kustomization = path.posix.join(root, 'a/kustomization.yaml');
    const missing = () => runRules(index).diagnostics.filter((d) => d.rule === 'missing-path').length;
    assert.strictEqual(missing(), 0);
    index.setBuffer(kustomization, 'resources:\n  - cm.yaml\n  - nothing.yaml\n');
    assert.strictEqual(missing(), 1);
    index.setBuffer(kustomization, 'resources:\n  - cm.yaml\n');
    assert.strictEqual(missing(), 0);
    index.setBuffer(kustomization, 'resources:\n  - cm.yaml\n  - later.yaml\n');
    assert.strictEqual(missing(), 1);
    fs.writeFileSync(path.join(root, 'a/later.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n');
    index.diskCreated(path.posix.join(root, 'a/later.yaml'));
    assert.strictEqual(missing(), 0, 'creating the missing file clears the finding');
  });
});
