// The precision corpus: every layout of test/fixtures/layouts is a fleet that works in production, so every
// rule must stay silent on it (no error, no warning: info and hints are advice). Beside each, the same
// fleet with one mistake a user would want flagged, made in memory as the editor would (setBuffer): the rule
// that must fire, and the file and line the user must change.
import { strict as assert } from 'assert';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { runRules, type Diagnostic } from '../../../server/src/rules/run';

const LAYOUTS = path.resolve(__dirname, '../../fixtures/layouts');
const NAMES = [
  'bootstrap',
  'bootstrap-placeholder',
  'flux-instance',
  'flux-instance-values',
  'flux-instance-values-file',
  'flux-instance-resourceset',
  'oci-subfolder',
  'artifact-generator',
  'resource-set',
  'hub-and-spoke',
  'multi-tenancy',
  'orphan-root',
];

function open(name: string): FleetIndex {
  const index = new FleetIndex(path.join(LAYOUTS, name));
  index.scan();
  return index;
}

const show = (index: FleetIndex, d: Diagnostic) =>
  `${d.severity} ${d.rule} ${path.relative(index.root, d.file)}:${d.range.start.line + 1} ${d.message}`;

interface Edit {
  file: string;
  /** Text replaced in the file (must be there once); absent: `to` is a new file. */
  from?: string;
  to: string;
}

interface Broken {
  layout: string;
  mistake: string;
  edits: Edit[];
  /** `rule: '*'`: a mistake no rule of the catalogue is about yet (issue 12), any rule may report it. */
  expect: { rule: string; file: string; line: number };
  /** Other places a finding may stand on instead, as defensible (e.g. the shared file or the Kustomization). */
  orAt?: Array<{ file: string; line: number }>;
}

const BROKEN: Broken[] = [
  {
    layout: 'bootstrap',
    mistake: "production's apps dependsOn a Kustomization only staging has",
    edits: [
      {
        file: 'clusters/staging/monitoring.yaml',
        to: 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: monitoring\n  namespace: flux-system\nspec:\n  interval: 1h\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./monitoring/staging\n  prune: true\n',
      },
      {
        file: 'monitoring/staging/kustomization.yaml',
        to: 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - namespace.yaml\n',
      },
      { file: 'monitoring/staging/namespace.yaml', to: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: monitoring\n' },
      {
        file: 'clusters/production/apps.yaml',
        from: '    - name: infrastructure\n',
        to: '    - name: infrastructure\n    - name: monitoring\n',
      },
    ],
    expect: { rule: 'dependson-unknown', file: 'clusters/production/apps.yaml', line: 10 },
  },
  {
    layout: 'bootstrap',
    mistake: 'the bootstrap Kustomization syncs a folder that does not exist',
    edits: [{ file: 'clusters/production/flux-system/gotk-sync.yaml', from: 'path: ./clusters/production', to: 'path: ./clusters/prod' }],
    expect: { rule: 'path-missing', file: 'clusters/production/flux-system/gotk-sync.yaml', line: 23 },
  },
  {
    layout: 'bootstrap-placeholder',
    mistake: "a typo in apps' spec.path",
    edits: [{ file: 'clusters/staging/apps.yaml', from: 'path: ./apps/staging', to: 'path: ./apps/stagin' }],
    expect: { rule: 'path-missing', file: 'clusters/staging/apps.yaml', line: 13 },
  },
  {
    layout: 'flux-instance',
    mistake: 'the FluxInstance syncs a path that does not exist',
    edits: [
      { file: 'clusters/production/flux-system/flux-instance.yaml', from: 'path: "clusters/production"', to: 'path: "clusters/prod"' },
    ],
    expect: { rule: 'path-missing', file: 'clusters/production/flux-system/flux-instance.yaml', line: 29 },
  },
  {
    layout: 'flux-instance-values',
    mistake: 'echo (namespace default) dependsOn cert-manager without its namespace',
    edits: [
      {
        file: 'kubernetes/apps/default/echo/ks.yaml',
        from: '    - name: cert-manager\n      namespace: cert-manager\n',
        to: '    - name: cert-manager\n',
      },
    ],
    expect: { rule: 'dependson-unknown', file: 'kubernetes/apps/default/echo/ks.yaml', line: 11 },
  },
  {
    layout: 'flux-instance-values',
    mistake: "cluster-apps' patch no longer gives the children prune: true",
    edits: [
      { file: 'kubernetes/flux/cluster/ks.yaml', from: '          prune: true\n          timeout: 10m\n', to: '          timeout: 10m\n' },
    ],
    expect: { rule: 'prune-disabled', file: 'kubernetes/apps/default/echo/ks.yaml', line: 6 },
  },
  {
    layout: 'flux-instance-values-file',
    mistake: 'the chart values sync a path that does not exist',
    edits: [
      {
        file: 'kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml',
        from: 'path: kubernetes/flux/cluster',
        to: 'path: kubernetes/flux/clusters',
      },
    ],
    expect: { rule: 'path-missing', file: 'kubernetes/apps/flux-system/flux-instance/app/helm/values.yaml', line: 16 },
  },
  {
    layout: 'flux-instance-resourceset',
    mistake: 'the switched-off app is listed again, but its HelmRepository is gone',
    edits: [
      {
        file: 'kubernetes/apps/default/kustomization.yaml',
        from: '  # - ./retired/ks.yaml  (switched off)\n',
        to: '  - ./retired/ks.yaml\n',
      },
    ],
    expect: { rule: 'sourceref-unknown', file: 'kubernetes/apps/default/retired/app/helmrelease.yaml', line: 13 },
  },
  {
    layout: 'oci-subfolder',
    mistake: 'a spec.path written from the repository root, not from the artifact (kubernetes/)',
    edits: [{ file: 'kubernetes/clusters/home/apps.yaml', from: 'path: ./apps/home', to: 'path: ./kubernetes/apps/home' }],
    expect: { rule: 'path-missing', file: 'kubernetes/clusters/home/apps.yaml', line: 13 },
  },
  {
    layout: 'artifact-generator',
    mistake: "production's apps points at ./staging, which is in the repository but not in production's apps artifact",
    edits: [{ file: 'clusters/production/apps.yaml', from: 'path: ./production', to: 'path: ./staging' }],
    expect: { rule: 'path-missing', file: 'clusters/production/apps.yaml', line: 15 },
  },
  {
    layout: 'artifact-generator',
    mistake: 'infra-configs names an ExternalArtifact no ArtifactGenerator produces',
    edits: [
      {
        file: 'clusters/staging/infrastructure.yaml',
        from: '  dependsOn:\n    - name: infra-controllers\n  interval: 1h\n  retryInterval: 1m\n  timeout: 5m\n  sourceRef:\n    kind: ExternalArtifact\n    name: infrastructure\n',
        to: '  dependsOn:\n    - name: infra-controllers\n  interval: 1h\n  retryInterval: 1m\n  timeout: 5m\n  sourceRef:\n    kind: ExternalArtifact\n    name: infra\n',
      },
    ],
    expect: { rule: 'sourceref-unknown', file: 'clusters/staging/infrastructure.yaml', line: 30 },
  },
  {
    layout: 'resource-set',
    mistake: "team-a's input names a folder of this repository that does not exist",
    edits: [{ file: 'tenants/production/tenants.yaml', from: 'path: ./tenants/team-a/production', to: 'path: ./tenants/team-a/prod' }],
    expect: { rule: 'path-missing', file: 'tenants/production/tenants.yaml', line: 11 },
    // The template line that uses the input is a fair place too.
    orAt: [{ file: 'tenants/production/tenants.yaml', line: 60 }],
  },
  {
    layout: 'hub-and-spoke',
    mistake: "production's infra-configs points at a folder that does not exist",
    edits: [{ file: 'hub/production.yaml', from: 'path: ./clusters/production/infra-configs', to: 'path: ./clusters/prod/infra-configs' }],
    expect: { rule: 'path-missing', file: 'hub/production.yaml', line: 50 },
  },
  {
    layout: 'multi-tenancy',
    mistake: "team-a's Kustomization names a GitRepository that does not exist",
    edits: [
      {
        file: 'tenants/base/team-a/sync.yaml',
        from: '    kind: GitRepository\n    name: team-a\n  prune: true',
        to: '    kind: GitRepository\n    name: team-b\n  prune: true',
      },
    ],
    expect: { rule: 'sourceref-unknown', file: 'tenants/base/team-a/sync.yaml', line: 24 },
  },
  {
    layout: 'multi-tenancy',
    mistake:
      "production's overlay patches a Kustomization the base does not have (kustomize fails the build; the patch's name must change)",
    edits: [{ file: 'tenants/production/team-a-patch.yaml', from: '  name: team-a\n', to: '  name: team-b\n' }],
    expect: { rule: 'patch-target-missing', file: 'tenants/production/team-a-patch.yaml', line: 4 },
  },
  {
    layout: 'bootstrap',
    mistake: "staging's infrastructure also applies the podinfo base that apps applies: two Kustomizations own the same objects",
    edits: [
      {
        file: 'infrastructure/staging/kustomization.yaml',
        from: '  - ../base/ingress-nginx\n',
        to: '  - ../base/ingress-nginx\n  - ../../apps/base/podinfo\n',
      },
    ],
    expect: { rule: '*', file: 'infrastructure/staging/kustomization.yaml', line: 5 },
    // Which of the two should let go is the user's call: either Kustomization is a fair place too.
    orAt: [
      { file: 'clusters/staging/infrastructure.yaml', line: 1 },
      { file: 'clusters/staging/apps.yaml', line: 1 },
      // object-applied-twice marks the second Kustomization's spec.path, where the overlap is chosen.
      { file: 'clusters/staging/apps.yaml', line: 13 },
    ],
  },
  {
    layout: 'flux-instance-values',
    mistake: "a child's spec.path does not exist",
    edits: [
      {
        file: 'kubernetes/apps/default/echo/ks.yaml',
        from: 'path: ./kubernetes/apps/default/echo/app',
        to: 'path: ./kubernetes/apps/default/echo/ap',
      },
    ],
    expect: { rule: 'path-missing', file: 'kubernetes/apps/default/echo/ks.yaml', line: 14 },
  },
  {
    layout: 'oci-subfolder',
    mistake: 'apps names GitRepository flux-system, which a FluxInstance syncing an OCIRepository never creates',
    edits: [{ file: 'kubernetes/clusters/home/apps.yaml', from: '    kind: OCIRepository\n', to: '    kind: GitRepository\n' }],
    expect: { rule: 'sourceref-unknown', file: 'kubernetes/clusters/home/apps.yaml', line: 11 },
    orAt: [{ file: 'kubernetes/clusters/home/apps.yaml', line: 12 }],
  },
  {
    layout: 'artifact-generator',
    mistake: "staging's overlay reaches its base through the repository (../../apps/base), which is not in the apps artifact",
    edits: [{ file: 'apps/staging/kustomization.yaml', from: '  - ../base/podinfo\n', to: '  - ../../apps/base/podinfo\n' }],
    expect: { rule: 'render-error', file: 'apps/staging/kustomization.yaml', line: 4 },
    orAt: [{ file: 'clusters/staging/apps.yaml', line: 15 }],
  },
  {
    layout: 'hub-and-spoke',
    mistake: "production's infra-configs no longer sets CLUSTER_NAME, which the shared deploy/infra-configs uses",
    edits: [
      {
        file: 'hub/production.yaml',
        from: '  postBuild:\n    substitute:\n      CLUSTER_NAME: production\n',
        to: '  postBuild:\n    substitute:\n      CLUSTER: production\n',
      },
    ],
    expect: { rule: 'unresolved-variable', file: 'hub/production.yaml', line: 58 },
    orAt: [{ file: 'deploy/infra-configs/cluster-issuer.yaml', line: 4 }],
  },
  {
    layout: 'orphan-root',
    mistake: 'apps dependsOn a Kustomization that does not exist',
    edits: [{ file: 'flux/apps/apps.yaml', from: '    - name: infra\n', to: '    - name: infrastructure\n' }],
    expect: { rule: 'dependson-unknown', file: 'flux/apps/apps.yaml', line: 8 },
  },
];

describe('precision corpus: working fleet layouts check clean', () => {
  for (const name of NAMES) {
    it(`${name}: no error or warning from any rule`, () => {
      const index = open(name);
      const { diagnostics, failures } = runRules(index);
      assert.deepStrictEqual(
        failures.map((f) => `${f.rule}: ${f.error.split('\n')[0]}`),
        [],
        'no rule may fail',
      );
      const loud = diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepStrictEqual(
        loud.map((d) => show(index, d)),
        [],
        `findings on ${name}:\n${loud.map((d) => show(index, d)).join('\n')}`,
      );
    });
  }
});

describe('precision corpus: one mistake in each layout is found where it must be fixed', () => {
  for (const broken of BROKEN) {
    it(`${broken.layout}: ${broken.mistake} -> ${broken.expect.rule} at ${broken.expect.file}:${broken.expect.line}`, () => {
      const index = open(broken.layout);
      for (const edit of broken.edits) {
        const file = path.join(index.root, edit.file);
        if (edit.from === undefined) {
          index.setBuffer(file, edit.to);
          continue;
        }
        const text = index.text(file);
        assert.ok(text !== undefined && text.split(edit.from).length === 2, `${edit.file} holds the text to change once`);
        index.setBuffer(file, text.replace(edit.from, edit.to));
      }
      const { diagnostics, failures } = runRules(index);
      assert.deepStrictEqual(
        failures.map((f) => `${f.rule}: ${f.error.split('\n')[0]}`),
        [],
      );
      const all = diagnostics.map((d) => show(index, d)).join('\n');
      const places = [{ file: broken.expect.file, line: broken.expect.line }, ...(broken.orAt ?? [])];
      const rule = broken.expect.rule;
      const hits = diagnostics.filter(
        (d) =>
          (rule === '*' ? d.severity === 'error' || d.severity === 'warning' : d.rule === rule) &&
          places.some((p) => path.relative(index.root, d.file) === p.file),
      );
      const where = places.map((p) => `${p.file}:${p.line}`).join(' or ');
      assert.ok(hits.length > 0, `${rule === '*' ? 'no rule' : rule} does not fire on ${where}; findings:\n${all}`);
      const at = (d: Diagnostic) => places.some((p) => path.relative(index.root, d.file) === p.file && d.range.start.line + 1 === p.line);
      assert.ok(
        hits.some(at),
        `${rule} fires at ${hits.map((d) => `${path.relative(index.root, d.file)}:${d.range.start.line + 1}`).join(', ')}, not ${where}; findings:\n${all}`,
      );
      const hit = hits.find(at)!;
      assert.ok(
        hit.severity === 'error' || hit.severity === 'warning',
        `a mistake Flux fails on must be an error or a warning, not ${hit.severity}: ${show(index, hit)}`,
      );
    });
  }
});
