// Secret values (Secret data/stringData, secretGenerator literals, SOPS `ENC[...]` values and `sops:` blocks)
// never reach what the editor shows outside the files themselves or what the server logs: the
// Environments tree, the promotion plan and its diffs, the log of indexing and analysis, rule failures,
// and the substitution problems that quote a value. (Hovers and previews: hover.test.ts, preview.test.ts.)
import assert from 'node:assert/strict';
import { preview } from '../../../server/src/features/preview';
import { memoryFleetIndex } from '../../fuzz/exercise';

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

describe('substitution problems do not quote Secret values', () => {
  const fluxKs = (extra: string) => `${ks('production')}${extra}`;
  it('a variable from a Secret that breaks the YAML, and bad syntax in a Secret value', () => {
    const index = memoryFleetIndex({
      'clusters/production/apps.yaml': fluxKs('  postBuild:\n    substituteFrom:\n    - kind: Secret\n      name: vars\n'),
      'clusters/production/vars.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\n  namespace: flux-system\nstringData:\n  db_password: "s3cr3t: [x"\n',
      'apps/production/kustomization.yaml': 'resources:\n- cm.yaml\n- secret.yaml\n',
      'apps/production/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  dsn: ${db_password}\n',
      'apps/production/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  token: "s3cr3t-${oops"\n',
    });
    const env = index.environment('production')!;
    const problems = index.renderEnvironment(env).problems.filter((p) => p.code.startsWith('flux-substitute'));
    const yaml = problems.find((p) => p.code === 'flux-substitute-yaml');
    assert.ok(yaml, JSON.stringify(problems));
    assert.match(yaml.message, /with db_password from a Secret, not shown/);
    const syntax = problems.find((p) => p.code === 'flux-substitute-syntax');
    assert.ok(syntax, JSON.stringify(problems));
    assert.match(syntax.message, /in this Secret value/);
    assertNoSecrets('the substitution problems', JSON.stringify(problems));
  });
});

describe('values substituted from a Secret are masked wherever they land', () => {
  it('a ConfigMap and an env value filled from a Secret show *** in the preview and the comparison; inline variables stay', () => {
    const index = memoryFleetIndex({
      'clusters/production/apps.yaml': `${ks('production')}  postBuild:\n    substitute:\n      region: eu-west-1\n    substituteFrom:\n    - kind: Secret\n      name: vars\n`,
      'clusters/production/vars.yaml':
        'apiVersion: v1\nkind: Secret\nmetadata:\n  name: vars\n  namespace: flux-system\nstringData:\n  db_password: s3cr3t-pw\n',
      'apps/production/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'apps/production/cm.yaml':
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  dsn: postgres://app:${db_password}@db\n  region: ${region}\n',
    });
    const rendered = preview(index, { target: { kind: 'environment', name: 'production' } });
    assert.match(rendered.yaml, /dsn: '\*\*\*'|dsn: "\*\*\*"|dsn: \*\*\*/);
    assert.match(rendered.yaml, /region: eu-west-1/);
    assertNoSecrets('the environment preview', rendered.yaml);
    // What Flux applies still holds the value: only what is shown is masked.
    const applied = index.renderEnvironment(index.environment('production')!).objects.find((o) => o.object.kind === 'ConfigMap')!;
    assert.match(JSON.stringify(applied.object), /s3cr3t-pw/);
  });
});
