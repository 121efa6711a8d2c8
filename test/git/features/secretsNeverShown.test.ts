// Secret values (Secret data/stringData, secretGenerator literals, SOPS `ENC[...]` values and `sops:` blocks)
// never reach what the editor shows outside the files themselves or what the server logs: the
// Environments tree, the promotion plan and its diffs, the log of indexing and analysis, rule failures,
// and the substitution problems that quote a value. (Hovers and previews: hover.test.ts, preview.test.ts.)
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentSummaries } from '../../../server/src/features/environments';
import { preview } from '../../../server/src/features/preview';
import { planPromotion, runPromotion, runRevert } from '../../../server/src/features/promotion';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { promote } from '../../../server/src/promote/flow';
import { DEFAULT_PROMOTION_SETTINGS } from '../../../server/src/promote/flowTypes';
import { allRules, runRules } from '../../../server/src/rules/run';
import { recordingSession } from '../../recordingSession';
import { git, useIsolatedGitConfig, readText, writeFile } from '../gitFixture';

/** Every text that would give a secret away: values, their base64 form, SOPS ciphertext and metadata. */
const LEAKS = ['s3cr3t', 'czNjcjN0', 'ENC[', 'AGE ENCRYPTED', 'age1qxyz'];

function assertNoSecrets(what: string, text: string): void {
  for (const leak of LEAKS) assert.ok(!text.includes(leak), `${what} shows '${leak}':\n${text}`);
}

const ks = (env: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps/${env}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const release = (version: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: db
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: postgres
      version: ${version}
      sourceRef:
        kind: HelmRepository
        name: charts
  valuesFrom:
  - kind: Secret
    name: db-values
`;

const PLAIN_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db-values
  namespace: apps
data:
  token: czNjcjN0LXRva2Vu
stringData:
  password: s3cr3t-value
`;

const SOPS_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db-admin
  namespace: apps
stringData:
  password: ENC[AES256_GCM,data:c2VjcmV0,iv:aXY=,tag:dGFn,type:str]
sops:
  kms: []
  age:
  - recipient: age1qxyz
    enc: |
      -----BEGIN AGE ENCRYPTED FILE-----
      YWdlLWVuY3J5cHRpb24ub3JnL3Yx
      -----END AGE ENCRYPTED FILE-----
  lastmodified: "2024-05-01T10:00:00Z"
  mac: ENC[AES256_GCM,data:bWFj,iv:aXY=,tag:dGFn,type:str]
  version: 3.8.1
`;

const overlay = (tag: string) => `resources:
- ../base
- release.yaml
secretGenerator:
- name: api-keys
  literals:
  - key=s3cr3t-literal
images:
- name: ghcr.io/acme/web
  newTag: ${tag}
`;

/**
 * Two Flux environments on one branch (overlay strategy). The files a promotion edits hold Secrets:
 * each overlay's kustomization (a secretGenerator literal) and release.yaml (a HelmRelease next to a plain
 * Secret and a SOPS-encrypted one).
 */
const FILES: Record<string, string> = {
  'clusters/staging/apps.yaml': ks('staging'),
  'clusters/production/apps.yaml': ks('production'),
  'apps/base/kustomization.yaml': 'resources:\n- web.yaml\n',
  'apps/base/web.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: ghcr.io/acme/web:1.0.0\n',
  'apps/staging/kustomization.yaml': overlay('1.1.0'),
  'apps/staging/release.yaml': `${release('1.15.0')}---\n${PLAIN_SECRET}---\n${SOPS_SECRET}`,
  'apps/production/kustomization.yaml': overlay('1.0.0'),
  'apps/production/release.yaml': `${release('1.14.0')}---\n${PLAIN_SECRET}---\n${SOPS_SECRET}`,
};

describe('Secret values are never shown outside their files', function () {
  this.timeout(30000);
  let root: string;
  useIsolatedGitConfig();
  beforeEach(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'fluxenv-secrets-')));
    for (const [rel, text] of Object.entries(FILES)) writeFile(root, rel, text);
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'fleet');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('the Environments tree: names, folders, Kustomizations and counts, then objects by name', () => {
    // By construction the summaries hold no value of any object: asserted so that it stays so.
    const index = new FleetIndex(root);
    index.scan();
    const { diagnostics } = runRules(index);
    const summaries = environmentSummaries(index, { diagnostics });
    assert.deepEqual(
      summaries.map((s) => s.name),
      ['staging', 'production'],
    );
    assertNoSecrets('the environments request', JSON.stringify(summaries));
    // Expanding an environment asks for its render: the tree shows the objects' names (and the first
    // problem's message when nothing renders); the YAML is the masked preview.
    const rendered = preview(index, { target: { kind: 'environment', name: 'production' } });
    assert.ok(
      rendered.objects.some((o) => o.kind === 'Secret' && o.name === 'db-values'),
      JSON.stringify(rendered.objects),
    );
    assertNoSecrets('the render request', JSON.stringify(rendered));
  });

  it('the promotion plan, the files shown in the diff editor and the printed diff mask them; the commit keeps them', async () => {
    const plan = await planPromotion(root, { from: 'staging', to: 'production', settings: { push: 'never' } });
    assert.equal(plan.message, undefined, JSON.stringify(plan));
    assert.deepEqual(plan.changes.map((c) => `${c.kind} ${c.workload} ${c.before} -> ${c.after}`).sort(), [
      'chart db 1.14.0 -> 1.15.0',
      'image web 1.0.0 -> 1.1.0',
    ]);
    assert.deepEqual(plan.fileChanges.map((f) => f.path).sort(), ['apps/production/kustomization.yaml', 'apps/production/release.yaml']);
    assertNoSecrets('the plan', JSON.stringify(plan));
    const shown = plan.fileChanges.find((f) => f.path === 'apps/production/release.yaml')!;
    assert.match(shown.before, /version: 1\.14\.0/);
    assert.match(shown.after, /version: 1\.15\.0/);
    assert.match(shown.after, /password: '\*\*\*'/, 'the masked value stays in place');
    assert.match(plan.fileChanges.find((f) => f.path === 'apps/production/kustomization.yaml')!.after, /- key=\*\*\*/);

    const dryRun = await promote(
      { cwd: root, source: 'staging', target: 'production', dryRun: true },
      { ...DEFAULT_PROMOTION_SETTINGS, push: 'never' },
      { confirm: async () => false, ask: async () => false },
    );
    assert.equal(dryRun.status, 'dry-run');
    const diff = 'preview' in dryRun && dryRun.preview ? dryRun.preview.diff : '';
    assert.match(diff, /^\+\s+version: 1\.15\.0$/m);
    assertNoSecrets('the printed diff', diff);

    // What the user reviewed (masked) is what the promotion writes: it goes ahead, with the real values.
    const outcome = await runPromotion(root, {
      from: 'staging',
      to: 'production',
      push: false,
      pullRequest: false,
      tag: false,
      trusted: true,
      reviewed: plan.fileChanges.map((f) => ({ path: f.path, after: f.after })),
      settings: { requirePullRequestFor: [] },
    });
    assert.equal(outcome.kind, 'done', outcome.message);
    assertNoSecrets('the outcome', JSON.stringify(outcome));
    const written = readText(root, 'apps/production/release.yaml');
    assert.match(written, /version: 1\.15\.0/);
    assert.ok(written.includes('password: s3cr3t-value') && written.includes(SOPS_SECRET), 'the Secrets are written as they were');

    const revert = await runRevert(root, {
      commit: outcome.kind === 'done' ? outcome.commit! : '',
      push: false,
      trusted: true,
      dryRun: true,
    });
    assert.ok(revert.summary, JSON.stringify(revert));
    assert.match(revert.diff ?? '', /^-\s+version: 1\.15\.0$/m);
    assertNoSecrets('the revert diff', revert.diff ?? '');
  });

  it('the server log during indexing and analysis, with a rule that fails quoting a Secret value', async () => {
    const rule = allRules().find((r) => r.id === 'prune-disabled')!;
    const original = rule.check;
    // A rule with a bug that throws on a value it read (as JSON.parse or BigInt() do, quoting their input).
    rule.check = (ctx) => {
      ctx.checking?.(`${ctx.index.root}/apps/production/release.yaml`);
      throw new SyntaxError(`Unexpected token 's', "s3cr3t-value" is not valid JSON; also ${SOPS_SECRET.split('\n')[6]}`);
    };
    const { session, published, logs } = recordingSession();
    try {
      session.setWorkspaceFolders([root]);
      await session.idle();
      assert.ok(
        logs.some((l) => l.startsWith(`indexed ${root}`)),
        logs.join('\n'),
      );
      assert.ok(
        logs.some((l) => l.startsWith('rule prune-disabled failed on') && l.includes('is not valid JSON')),
        logs.join('\n'),
      );
      assert.ok(
        logs.some((l) => l.startsWith('analysis:')),
        logs.join('\n'),
      );
      assertNoSecrets('the log', logs.join('\n'));
      const failure = [...published.values()].flat().find((d) => d.code === 'internal-error');
      assert.ok(failure, 'the failure is still reported');
      assertNoSecrets('the internal-error diagnostic', JSON.stringify([...published]));
    } finally {
      rule.check = original;
    }
  });
});
