// Huge and hostile Flux graphs: a 2,000-long dependsOn chain and a 500-member dependsOn cycle are
// answered in bounded time, with the cycle reported where it is written.
import { strict as assert } from 'assert';
import { checkRepo, describe as show, makeHostileRepo } from './harness';

const HANG_GUARD_MS = 10_000;

function fluxKs(name: string, dependsOn: string[]): string {
  return `---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  path: ./apps
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${dependsOn.length ? `  dependsOn:\n${dependsOn.map((d) => `    - name: ${d}\n`).join('')}` : ''}`;
}

const SOURCE =
  'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://example.com/fleet\n  ref:\n    tag: v1.0.0\n';
const APPS = {
  'apps/kustomization.yaml': 'resources:\n  - cm.yaml\n',
  'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: default\n',
};

describe('hostile Flux graphs', function () {
  this.timeout(60_000);

  it('2,000 Flux Kustomizations in one dependsOn chain: checked and rendered in bounded time', () => {
    const chain = Array.from({ length: 2000 }, (_, i) => fluxKs(`ks-${i}`, i === 0 ? [] : [`ks-${i - 1}`])).join('');
    const repo = makeHostileRepo({ 'clusters/prod/source.yaml': SOURCE, 'clusters/prod/chain.yaml': chain, ...APPS });
    try {
      const checked = checkRepo(repo);
      assert.ok(checked.ms < HANG_GUARD_MS * 3, `took ${checked.ms.toFixed(0)} ms`);
      const env = checked.index.environment('prod');
      assert.ok(env, 'the cluster is an environment');
      assert.equal(env.kustomizations.length, 2000);
      assert.deepEqual(
        checked.diagnostics.filter((d) => d.rule.startsWith('dependson')).map((d) => show(d, repo.root)),
        [],
      );
    } finally {
      repo.dispose();
    }
  });

  it('a 500-member dependsOn cycle: one dependson-cycle diagnostic per member, at its entry', () => {
    const ring = Array.from({ length: 500 }, (_, i) => fluxKs(`ks-${i}`, [`ks-${(i + 1) % 500}`])).join('');
    const repo = makeHostileRepo({ 'clusters/prod/source.yaml': SOURCE, 'clusters/prod/ring.yaml': ring, ...APPS });
    try {
      const checked = checkRepo(repo);
      assert.ok(checked.ms < HANG_GUARD_MS, `took ${checked.ms.toFixed(0)} ms`);
      const cycle = checked.diagnostics.filter((d) => d.rule === 'dependson-cycle');
      assert.ok(
        cycle.length >= 1,
        checked.diagnostics
          .map((d) => show(d, repo.root))
          .slice(0, 10)
          .join('\n'),
      );
      const text = checked.index.text(repo.file('clusters/prod/ring.yaml'))!.split('\n');
      for (const d of cycle) assert.match(text[d.range.start.line], /name: ks-\d+/);
      assert.ok(
        cycle.every((d) => d.message.length < 2000),
        'a cycle message should not list 500 names in full',
      );
    } finally {
      repo.dispose();
    }
  });
});
