// The seed article's fleet checks clean, and each of its "common mistakes", introduced into a copy,
// produces exactly the finding that names it and no other.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { runRules } from '../../../server/src/rules/run';

const seed = path.resolve(__dirname, '../../fixtures/fleet-infra');

function copySeed(): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-seed-')));
  fs.cpSync(seed, root, { recursive: true });
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  return root;
}

function check(root: string): Array<{ rule: string; file: string; line: number }> {
  const index = new FleetIndex(root);
  index.scan();
  const { diagnostics, failures } = runRules(index);
  assert.deepStrictEqual(failures, []);
  return diagnostics.map((d) => ({ rule: d.rule, file: path.relative(root, d.file), line: d.range.start.line + 1 }));
}

function edit(root: string, rel: string, change: (text: string) => string): void {
  const file = path.join(root, rel);
  const before = fs.readFileSync(file, 'utf8');
  const after = change(before);
  assert.notStrictEqual(after, before, `the mistake was not introduced into ${rel}`);
  fs.writeFileSync(file, after);
}

describe('the seed fleet and its common mistakes', function () {
  this.timeout(60000);
  let root: string;
  beforeEach(() => (root = copySeed()));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('checks clean as the article lays it out', () => {
    assert.deepStrictEqual(check(root), []);
  });

  it('"Forgetting prune: true": exactly prune-disabled, at the Kustomization', () => {
    edit(root, 'clusters/production/infrastructure.yaml', (t) => t.replace(/\n\s*prune: true/, ''));
    const findings = check(root);
    assert.deepStrictEqual(
      findings.map((f) => [f.rule, f.file]),
      [['prune-disabled', 'clusters/production/infrastructure.yaml']],
    );
  });

  it('"Missing dependsOn chains (apps deploy before infrastructure is ready)": exactly dependson-missing', () => {
    edit(root, 'clusters/production/apps.yaml', (t) => t.replace(/\n {2}dependsOn:\n {2}- name: infrastructure[^\n]*/, ''));
    const findings = check(root);
    assert.deepStrictEqual([...new Set(findings.map((f) => f.rule))], ['dependson-missing'], JSON.stringify(findings));
    assert.ok(
      findings.every((f) => f.file === 'clusters/production/apps.yaml'),
      JSON.stringify(findings),
    );
  });

  it('"Duplicating full manifests per environment instead of using overlays": exactly copied-manifest', () => {
    // Production copies the base Deployment instead of including the base and patching it.
    fs.copyFileSync(path.join(root, 'apps/base/my-app/deployment.yaml'), path.join(root, 'apps/production/deployment.yaml'));
    fs.copyFileSync(path.join(root, 'apps/base/my-app/service.yaml'), path.join(root, 'apps/production/service.yaml'));
    edit(root, 'apps/production/kustomization.yaml', (t) => t.replace('- ../base/my-app\n', '- deployment.yaml\n- service.yaml\n'));
    const findings = check(root);
    assert.deepStrictEqual([...new Set(findings.map((f) => f.rule))], ['copied-manifest'], JSON.stringify(findings));
    assert.ok(
      findings.every((f) => f.file === 'apps/production/kustomization.yaml'),
      JSON.stringify(findings),
    );
  });

  it('"Not using namespaces to isolate environments on shared clusters": exactly namespace-missing', () => {
    // Staging's apps move onto the production cluster, and the staging overlay sets no namespace.
    const staging = fs
      .readFileSync(path.join(root, 'clusters/production/apps.yaml'), 'utf8')
      .replace('name: apps\n', 'name: apps-staging\n')
      .replace('./apps/production', './apps/staging');
    fs.writeFileSync(path.join(root, 'clusters/production/apps-staging.yaml'), staging);
    edit(root, 'apps/staging/kustomization.yaml', (t) => t.replace(/^namespace: staging\n/m, ''));
    const findings = check(root);
    assert.deepStrictEqual([...new Set(findings.map((f) => f.rule))], ['namespace-missing'], JSON.stringify(findings));
    assert.ok(
      findings.every((f) => f.file === 'apps/staging/kustomization.yaml'),
      JSON.stringify(findings),
    );
  });

  it('"Not using namespaces" on dedicated clusters: production\'s overlay forgets the namespace staging\'s sets', () => {
    edit(root, 'apps/production/kustomization.yaml', (t) => t.replace(/^namespace: production\n/m, ''));
    const findings = check(root).filter((f) => f.rule === 'namespace-missing');
    assert.deepStrictEqual(
      findings.map((f) => f.file),
      ['apps/production/kustomization.yaml'],
      JSON.stringify(findings),
    );
  });
});
