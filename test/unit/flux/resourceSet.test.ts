import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { executeTemplate, fromJson, parseTemplate } from '../../../server/src/flux/goTemplate';
import type { FluxObjectPlace } from '../../../server/src/flux/objects';
import { expandResourceSet, normalizeKeyForTemplate, type ExpandOptions } from '../../../server/src/flux/resourceSet';
import { RESOURCE_SET_FUNCTION_NAMES, resourceSetFunctions, slugify } from '../../../server/src/flux/templateFunctions';
import type { JsonObject, Range } from '../../../server/src/kustomize/types';
import { parseYamlFile } from '../../../server/src/kustomize/yaml/parse';

/** A place whose ranges name their path, so a test can see where a problem points. */
function placeFor(file = 'clusters/prod/tenants.yaml'): FluxObjectPlace {
  const rangeOf = (path: ReadonlyArray<string | number>): Range => ({
    start: { line: path.length, character: 0 },
    end: { line: path.length, character: path.join('.').length },
  });
  return { file, documentIndex: 0, range: rangeOf([]), rangeOf };
}

function expand(yamlText: string, options: ExpandOptions = {}) {
  return expandResourceSet(parse(yamlText) as JsonObject, placeFor(), options);
}

const names = (objects: Array<{ object: JsonObject }>): string[] =>
  objects.map(({ object }) => {
    const meta = object.metadata as JsonObject;
    return `${String(object.kind)}/${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
  });

const field = (object: JsonObject, ...path: string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as JsonObject | undefined)?.[k], object);

const staticProvider = (name: string, defaultValues: JsonObject, labels: JsonObject = {}): JsonObject => ({
  apiVersion: 'fluxcd.controlplane.io/v1',
  kind: 'ResourceSetInputProvider',
  metadata: { name, namespace: 'flux-system', labels },
  spec: { type: 'Static', defaultValues },
});

describe('flux/resourceSet', () => {
  it('generates one namespace, source and Kustomization per tenant from inline inputs', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: tenants, namespace: flux-system }
spec:
  inputs:
    - tenant: frontend
      environment: staging
    - tenant: backend
      environment: staging
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata:
        name: << inputs.tenant >>
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata:
        name: apps
        namespace: << inputs.tenant >>
      spec:
        url: "oci://ghcr.io/acme/apps/<< inputs.tenant >>"
        ref: { semver: '*' }
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata:
        name: apps
        namespace: << inputs.tenant >>
      spec:
        targetNamespace: << inputs.tenant >>
        sourceRef: { kind: OCIRepository, name: apps }
        path: "./<< inputs.environment >>"
        prune: true
`);
    assert.deepEqual(out.problems, []);
    assert.deepEqual(out.notes, []);
    assert.deepEqual(names(out.objects), [
      'Namespace/frontend',
      'Namespace/backend',
      'OCIRepository/frontend/apps',
      'OCIRepository/backend/apps',
      'Kustomization/frontend/apps',
      'Kustomization/backend/apps',
    ]);
    const ks = out.objects[5];
    assert.equal(ks.inputIndex, 1);
    assert.equal(ks.resourceIndex, 2);
    assert.deepEqual(ks.templatePath, ['spec', 'resources', 2]);
    assert.equal(field(ks.object, 'spec', 'path'), './staging');
    assert.equal(field(out.objects[2].object, 'spec', 'ref', 'semver'), '*', "a quoted '*' stays a string");
    assert.deepEqual(field(ks.object, 'metadata', 'labels'), {
      'resourceset.fluxcd.controlplane.io/name': 'tenants',
      'resourceset.fluxcd.controlplane.io/namespace': 'flux-system',
    });
    assert.deepEqual(out.inputs[0].provider, {
      apiVersion: 'fluxcd.controlplane.io/v1',
      kind: 'ResourceSet',
      name: 'tenants',
      namespace: 'flux-system',
    });
    assert.equal('id' in out.inputs[0], false, 'inline inputs get no id');
  });

  it('types rendered values as the operator reads them back: quotes in the source are gone, `quote` keeps strings', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs:
    - version: "1.10"
      replicas: "3"
      enabled: "yes"
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata: { name: app, namespace: apps, labels: { version: << inputs.version | quote >> } }
      spec:
        ref:
          tag: "<< inputs.version >>"
          semver: << inputs.version | quote >>
    - apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata: { name: app, namespace: apps }
      spec:
        values:
          replicaCount: << inputs.replicas | int >>
          replicasText: << inputs.replicas | quote >>
          enabled: << inputs.enabled >>
`);
    assert.deepEqual(out.problems, []);
    const [oci, hr] = out.objects.map((o) => o.object);
    assert.equal(field(oci, 'spec', 'ref', 'tag'), 1.1, 'the quotes around the action are not part of the template text');
    assert.equal(field(oci, 'spec', 'ref', 'semver'), '1.10');
    assert.equal(field(oci, 'metadata', 'labels', 'version'), '1.10');
    assert.deepEqual(field(hr, 'spec', 'values'), { enabled: true, replicaCount: 3, replicasText: '3' });
  });

  it('permutes the ResourceSet inputs with a provider, keyed by normalised names, with the operator ids', () => {
    const provider = staticProvider('git-tag', { sha: 'bf5d6e0', tag: 'v1.2.0' });
    const out = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: my-rset, namespace: flux-system }
spec:
  inputStrategy: { name: Permute }
  inputs:
    - cluster: eu
    - cluster: us
  inputsFrom:
    - kind: ResourceSetInputProvider
      name: git-tag
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: cm-<< inputs.my_rset.cluster >>-<< inputs.id >>
        namespace: flux-system
      data:
        tag: << inputs.git_tag.tag | quote >>
        provider: << inputs.git_tag.provider.kind >>
        providerId: << inputs.git_tag.id | quote >>
`,
      { findInputProvider: (ns, name) => (ns === 'flux-system' && name === 'git-tag' ? provider : undefined) },
    );
    assert.deepEqual(out.problems, []);
    // ids: adler32 of "my_rset=<i>/git_tag=<j>" (computed independently with Python's zlib.adler32).
    assert.deepEqual(names(out.objects), ['ConfigMap/flux-system/cm-eu-1224214252', 'ConfigMap/flux-system/cm-us-1224935149']);
    assert.deepEqual(out.objects[0].object.data, { provider: 'ResourceSetInputProvider', providerId: '181076654', tag: 'v1.2.0' });
    assert.equal(normalizeKeyForTemplate('Team A.prod--x'), 'team_a_prod_x');
    assert.ok(
      out.notes.some((n) => /UID on the cluster/.test(n)),
      'the offline id of a Static provider is explained',
    );
  });

  it('takes the input set of Static providers found by name and by label selector', () => {
    const providers = [
      staticProvider('eu', { region: 'eu-west-1' }, { fleet: 'prod', tier: 'a' }),
      staticProvider('us', { region: 'us-east-1' }, { fleet: 'prod', tier: 'b' }),
      staticProvider('lab', { region: 'lab' }, { fleet: 'lab' }),
    ];
    const template = `
  resources:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata: { name: "infra-<< inputs.region >>", namespace: flux-system }
      spec: { path: "./infra/<< inputs.region >>", sourceRef: { kind: GitRepository, name: flux-system } }`;
    const options: ExpandOptions = {
      findInputProvider: (_ns, name) => providers.find((p) => (p.metadata as JsonObject).name === name),
      listInputProviders: () => providers,
    };
    const byName = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: infra, namespace: flux-system }
spec:
  inputsFrom: [{ name: us }]${template}`,
      options,
    );
    assert.deepEqual(byName.problems, []);
    assert.deepEqual(names(byName.objects), ['Kustomization/flux-system/infra-us-east-1']);
    assert.equal(byName.inputs[0].provider && (byName.inputs[0].provider as JsonObject).name, 'us');

    const bySelector = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: infra, namespace: flux-system }
spec:
  inputsFrom:
    - selector:
        matchLabels: { fleet: prod }
        matchExpressions: [{ key: tier, operator: In, values: [a, b] }]${template}`,
      options,
    );
    assert.deepEqual(bySelector.problems, []);
    // Providers are taken in name order, whatever order the repository lists them in.
    assert.deepEqual(names(bySelector.objects), ['Kustomization/flux-system/infra-eu-west-1', 'Kustomization/flux-system/infra-us-east-1']);
  });

  it('explains that a dynamic provider has no inputs offline, without an error', () => {
    const prs: JsonObject = {
      apiVersion: 'fluxcd.controlplane.io/v1',
      kind: 'ResourceSetInputProvider',
      metadata: { name: 'prs', namespace: 'flux-system' },
      spec: { type: 'GitHubPullRequest', url: 'https://github.com/acme/app' },
    };
    const out = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: previews, namespace: flux-system }
spec:
  inputsFrom: [{ kind: ResourceSetInputProvider, name: prs }]
  resources:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata: { name: "app-<< inputs.id >>", namespace: flux-system }
`,
      { findInputProvider: () => prs },
    );
    assert.deepEqual(out.problems, []);
    assert.deepEqual(out.objects, []);
    assert.deepEqual(out.notes, [
      'inputsFrom ResourceSetInputProvider flux-system/prs is of type GitHubPullRequest: its inputs exist only in the cluster',
    ]);
  });

  it('warns when a provider named in inputsFrom is not in the repository', () => {
    const out = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: previews, namespace: flux-system }
spec:
  inputsFrom: [{ name: missing }]
  resources: [{ apiVersion: v1, kind: ConfigMap, metadata: { name: x, namespace: flux-system } }]
`,
      { findInputProvider: () => undefined },
    );
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].severity, 'warning');
    assert.deepEqual(out.problems[0].range, placeFor().rangeOf?.(['spec', 'inputsFrom', 0, 'name']));
    assert.deepEqual(out.objects, []);
  });

  it('renders resourcesTemplate per input set, with range, if and whitespace trimming', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: bundles, namespace: flux-system }
spec:
  inputs:
    - bundle: addons
      decryption: false
      components: [ingress-nginx, cert-manager]
    - bundle: apps
      decryption: true
      components: [frontend]
  resourcesTemplate: |
    ---
    apiVersion: source.toolkit.fluxcd.io/v1
    kind: OCIRepository
    metadata:
      name: << inputs.bundle >>
      namespace: flux-system
    spec:
      url: oci://registry.example.com/<< inputs.bundle >>
    <<- range $component := inputs.components >>
    ---
    apiVersion: kustomize.toolkit.fluxcd.io/v1
    kind: Kustomization
    metadata:
      name: << $component >>
      namespace: flux-system
    spec:
      prune: true
      <<- if inputs.decryption >>
      decryption:
        provider: sops
      <<- end >>
      path: ./<< $component >>
    <<- end >>
`);
    assert.deepEqual(out.problems, []);
    assert.deepEqual(names(out.objects), [
      'OCIRepository/flux-system/addons',
      'Kustomization/flux-system/ingress-nginx',
      'Kustomization/flux-system/cert-manager',
      'OCIRepository/flux-system/apps',
      'Kustomization/flux-system/frontend',
    ]);
    assert.deepEqual(out.objects[1].object.spec, { prune: true, path: './ingress-nginx' });
    assert.deepEqual(out.objects[4].object.spec, { prune: true, decryption: { provider: 'sops' }, path: './frontend' });
    assert.deepEqual(
      out.objects.map((o) => [o.from, o.inputIndex, o.resourceIndex]),
      [
        ['resourcesTemplate', 0, 0],
        ['resourcesTemplate', 0, 1],
        ['resourcesTemplate', 0, 2],
        ['resourcesTemplate', 1, 0],
        ['resourcesTemplate', 1, 1],
      ],
    );
  });

  it('reports an unknown function at the field that calls it, naming it', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs: [{ tenant: a }]
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata: { name: cm, namespace: apps }
      data:
        name: << inputs.tenant | kebabcase >>
`);
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].code, 'resourceset-template');
    assert.match(out.problems[0].message, /function "kebabcase" not defined/);
    assert.equal(out.problems[0].file, 'clusters/prod/tenants.yaml');
    assert.deepEqual(out.problems[0].range, placeFor().rangeOf?.(['spec', 'resources', 0, 'data', 'name']));
    assert.deepEqual(out.objects, []);
  });

  it('reports a missing input at its field and still renders the other input sets', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app1, namespace: apps }
spec:
  inputs:
    - tenant: team1
      semver: "1.x"
    - tenant: team2
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata: { name: "app1-<< inputs.tenant >>", namespace: apps }
      spec:
        ref:
          semver: << inputs.semver >>
    - apiVersion: v1
      kind: ConfigMap
      metadata: { name: "cm-<< inputs.tenant >>", namespace: apps }
`);
    assert.equal(out.problems.length, 1);
    assert.match(out.problems[0].message, /resources\[0\] with input set 1 at << inputs\.semver >>: map has no entry for key "semver"/);
    assert.deepEqual(out.problems[0].range, placeFor().rangeOf?.(['spec', 'resources', 0, 'spec', 'ref', 'semver']));
    assert.deepEqual(names(out.objects), ['OCIRepository/apps/app1-team1', 'ConfigMap/apps/cm-team1', 'ConfigMap/apps/cm-team2']);
  });

  it('reports a resourcesTemplate error with its line, and a syntax error without throwing', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs: [{ n: 1 }]
  resourcesTemplate: |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: << if eq inputs.n "1" >>one<< end >>
`);
    assert.equal(out.problems.length, 1);
    assert.match(
      out.problems[0].message,
      /line 4 of the template\) at << if eq inputs.n "1" >>: error calling eq: incompatible types for comparison/,
    );
    assert.deepEqual(out.problems[0].range, placeFor().rangeOf?.(['spec', 'resourcesTemplate']), 'a one-line value keeps its whole range');

    // With the ranges the YAML parser gives the block scalar, the problem is on the failing line of the file.
    const source = `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs: [{ n: 1 }]
  resourcesTemplate: |
    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: << inputs.nope >>
`;
    const document = parseYamlFile('rs.yaml', source).documents[0];
    const located = expandResourceSet(document.value as JsonObject, {
      file: 'rs.yaml',
      documentIndex: 0,
      rangeOf: (path) => document.locate(path),
    });
    assert.deepEqual(located.problems[0].range, { start: { line: 9, character: 0 }, end: { line: 10, character: 0 } });

    const broken = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  resourcesTemplate: "kind: << if true >>x"
`);
    assert.match(broken.problems[0].message, /unexpected EOF/);
  });

  it('reports rendered text the operator cannot read or apply', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs: [{ text: "a: b: c" }]
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata: { name: broken, namespace: apps }
      data:
        value: << inputs.text >>
    - apiVersion: v1
      kind: ConfigMap
      metadata:
        name: << get inputs "name" >>
        namespace: apps
  resourcesTemplate: |
    apiVersion: v1
    kind: ConfigMap
    metadata: { namespace: apps }
    ---
    apiVersion: v1
    kind: ConfigMap
    metadata: { name: kept, namespace: apps }
`);
    assert.deepEqual(
      out.problems.map((p) => [p.code, p.severity]),
      [
        ['resourceset-rendered-yaml', 'error'],
        ['resourceset-rendered-object', 'error'],
        ['resourceset-rendered-dropped', 'warning'],
      ],
    );
    assert.match(out.problems[0].message, /Rendered:\n.*value: a: b: c/s);
    assert.match(out.problems[1].message, /without metadata.name/);
    assert.deepEqual(names(out.objects), ['ConfigMap/apps/kept']);
  });

  it('de-duplicates shared objects and drops the ones annotated reconcile: disabled', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: podinfo, namespace: default }
spec:
  commonMetadata: { labels: { app.kubernetes.io/name: podinfo } }
  inputs: [{ tenant: team1 }, { tenant: team2 }]
  resources:
    - apiVersion: source.toolkit.fluxcd.io/v1
      kind: OCIRepository
      metadata: { name: podinfo, namespace: default }
    - apiVersion: v1
      kind: ServiceAccount
      metadata:
        name: flux
        namespace: << inputs.tenant >>
        annotations:
          fluxcd.controlplane.io/reconcile: << if eq inputs.tenant "team1" >>enabled<< else >>disabled<< end >>
`);
    assert.deepEqual(out.problems, []);
    assert.deepEqual(names(out.objects), ['OCIRepository/default/podinfo', 'ServiceAccount/team1/flux']);
    assert.equal(field(out.objects[0].object, 'metadata', 'labels', 'app.kubernetes.io/name'), 'podinfo');
  });

  it('renders once without inputs, and nothing when inputsFrom exports nothing', () => {
    const plain = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: flux-operator, namespace: flux-system }
spec:
  dependsOn:
    - apiVersion: apiextensions.k8s.io/v1
      kind: CustomResourceDefinition
      name: helmreleases.helm.toolkit.fluxcd.io
  resources:
    - apiVersion: helm.toolkit.fluxcd.io/v2
      kind: HelmRelease
      metadata: { name: flux-operator, namespace: flux-system }
`);
    assert.deepEqual(names(plain.objects), ['HelmRelease/flux-system/flux-operator']);
    assert.equal(plain.objects[0].inputIndex, undefined);
    assert.deepEqual(
      plain.dependsOn.map((d) => [d.kind, d.name, d.ready]),
      [['CustomResourceDefinition', 'helmreleases.helm.toolkit.fluxcd.io', false]],
    );

    const empty = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: x, namespace: flux-system }
spec:
  inputsFrom: [{ selector: { matchLabels: { none: here } } }]
  resources: [{ apiVersion: v1, kind: ConfigMap, metadata: { name: x, namespace: flux-system } }]
`,
      { listInputProviders: () => [] },
    );
    assert.deepEqual(empty.objects, []);
    assert.match(empty.notes[0], /export no inputs/);
  });

  it("keeps each step's objects and rejects an object defined in two steps", () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs: [{ version: v1.0.0 }]
  steps:
    - name: db-migration
      resources:
        - apiVersion: batch/v1
          kind: Job
          metadata: { name: migrate, namespace: apps }
    - name: app-deploy
      resources:
        - apiVersion: kustomize.toolkit.fluxcd.io/v1
          kind: Kustomization
          metadata: { name: app, namespace: apps }
          spec: { images: [{ name: app, newTag: << inputs.version | quote >> }] }
        - apiVersion: batch/v1
          kind: Job
          metadata: { name: migrate, namespace: apps }
`);
    assert.deepEqual(
      out.objects.map((o) => [o.step, o.object.kind]),
      [
        ['db-migration', 'Job'],
        ['app-deploy', 'Kustomization'],
      ],
    );
    assert.equal(out.problems.length, 1);
    assert.match(out.problems[0].message, /already defined in step "db-migration"/);

    const empty = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  steps: [{ name: nothing }]
`);
    assert.deepEqual(
      empty.problems.map((p) => [p.code, p.range]),
      [['resourceset-empty-step', placeFor().rangeOf?.(['spec', 'steps', 0])]],
    );
  });

  it('warns when a generated Flux object has no namespace, since the operator does not default it', () => {
    const out = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  resources:
    - apiVersion: kustomize.toolkit.fluxcd.io/v1
      kind: Kustomization
      metadata: { name: app }
`);
    assert.equal(out.problems.length, 1);
    assert.equal(out.problems[0].code, 'resourceset-object-namespace');
    assert.equal(field(out.objects[0].object, 'metadata', 'namespace'), undefined);
  });

  it('stops runaway templates with a problem instead of hanging', function () {
    this.timeout(20000);
    const loop = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  resourcesTemplate: |
    << range until 50000 >><< range until 50000 >>x<< end >><< end >>
`);
    assert.equal(loop.problems.length, 1);
    assert.match(loop.problems[0].message, /evaluation steps|bytes/);

    const huge = expand(`
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  resourcesTemplate: "<< range until 100000000 >>x<< end >>"
`);
    assert.match(huge.problems[0].message, /error calling until: more than 100000 elements/);

    const many = expand(
      `
apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata: { name: app, namespace: apps }
spec:
  inputs: [{ i: 1 }, { i: 2 }, { i: 3 }]
  resources:
    - apiVersion: v1
      kind: ConfigMap
      metadata: { name: "cm-<< inputs.i >>", namespace: apps }
`,
      { limits: { maxObjects: 2 } },
    );
    assert.equal(many.objects.length, 2);
    assert.match(many.problems[0].message, /more than 2 objects/);
  });
});

describe('flux/goTemplate with the ResourceSet functions', () => {
  const render = (text: string, inputs: JsonObject = {}): string => {
    const parsed = parseTemplate(text, RESOURCE_SET_FUNCTION_NAMES, { leftDelim: '<<', rightDelim: '>>' });
    if ('error' in parsed) return `parse error: ${parsed.error.message}`;
    const out = executeTemplate(parsed.template, resourceSetFunctions(fromJson(inputs)));
    return 'error' in out ? `error: ${out.error.message}` : out.output;
  };

  it('prints values the way Go does', () => {
    const inputs = { n: 3, f: 1.5, b: true, list: ['a', 'b'], map: { z: 1, a: 'x' } };
    assert.equal(
      render('<< inputs.n >> << inputs.f >> << inputs.b >> << inputs.list >> << inputs.map >>', inputs),
      '3 1.5 true [a b] map[a:x z:1]',
    );
    assert.equal(render('<< index inputs "missing" >>', inputs), '<no value>');
    assert.equal(render('<< printf "%s-%03d-%v" "x" inputs.n inputs.b >>', inputs), 'x-003-true');
  });

  it('follows text/template control flow, scoping and whitespace trimming', () => {
    const inputs = { n: 2, m: { b: 2, a: 1 }, empty: [], items: ['x', 'y', 'z'] };
    assert.equal(render('a  <<- 1 ->>  b'), 'a1b');
    assert.equal(render('a <<-1>> b'), 'a -1 b', 'a dash without a space is a negative number, not a trim marker');
    assert.equal(render('x<</* a comment */>>y\n  <<- /* trimmed */ ->>\n z'), 'xyz');
    assert.equal(render('<< if eq inputs.n 1 >>one<< else if eq inputs.n 2 >>two<< else >>many<< end >>', inputs), 'two');
    assert.equal(render('<< with get inputs "nope" >>has<< else >>none<< end >>', inputs), 'none');
    assert.equal(render('<< range $k, $v := inputs.m >><< $k >>=<< $v >>;<< end >>', inputs), 'a=1;b=2;', 'maps range in key order');
    assert.equal(render('<< range inputs.empty >>x<< else >>empty<< end >>', inputs), 'empty');
    assert.equal(render('<< $x := "a" >><< if true >><< $x := "b" >><< $x >><< end >><< $x >>'), 'ba');
    assert.equal(render('<< $x := "a" >><< if true >><< $x = "b" >><< end >><< $x >>'), 'b');
    assert.equal(
      render(
        '<< range inputs.items >><< if eq . "y" >><< continue >><< end >><< if eq . "z" >><< break >><< end >><< . >><< end >>',
        inputs,
      ),
      'x',
    );
    assert.equal(render('<< or "" "fallback" >> << and 1 0 >> << eq "b" "a" "b" >> << len "héllo" >>'), 'fallback 0 true 6');
    assert.equal(render('<< lt 1 1.5 >>'), 'error: error calling lt: incompatible types for comparison');
    assert.equal(
      render('<< 1e+06 >> << 0x1F >> << .5 >> << trunc 1e3 "ab" >> << 1_000 >>'),
      '1e+06 31 0.5 ab 1000',
      'an integral float constant may be passed as an int',
    );
    assert.equal(render('<< 1e3 | trunc 2 >>'), 'error: wrong type for value; expected string; got float64', 'a piped value goes last');
  });

  it('indents nested inputs with toYaml and nindent, as the operator documents', () => {
    const out = render('data: << inputs.foo.bar | toYaml | nindent 2 >>', { foo: { bar: { k2: 'v2', k1: 'v1' } } });
    assert.equal(out, 'data: \n  k1: v1\n  k2: v2\n  ');
  });

  it('has the sprig helpers fleets use', () => {
    const inputs = { namespace: 'team1', semver: '>=1.0.0-rc.0', items: ['b', 'a'] };
    assert.equal(render('<< get inputs "name" | default inputs.namespace >>', inputs), 'team1');
    assert.equal(render('<< inputs.semver | slugify >>', inputs), '1-0-0-rc-0');
    assert.equal(
      render('<< join "," inputs.items >> << inputs.namespace | upper | quote >> << hasKey inputs "items" >>', inputs),
      'b,a "TEAM1" true',
    );
    assert.equal(render('<< "abc" | sha256sum | trunc 8 >> << "hi" | b64enc >>', inputs), 'ba7816bf aGk=');
    assert.equal(render('<< $d := dict "a" 1 >><< toJson $d >> << list 1 "x" | toJson >>'), '{"a":1} [1,"x"]');
    assert.equal(slugify('Team  A & B'), 'team-a-and-b');
    assert.equal(
      render(
        '<< regexReplaceAll "(?P<name>[a-z]+)-([0-9]+)" "app-12" "${2}.${name}" >> << regexMatch "^v[0-9]+(\\\\.[0-9]+)*$" "v1.2.3" >>',
      ),
      '12.app true',
    );
  });

  it('refuses a backtracking regexp on a long subject instead of hanging', () => {
    const out = render('<< regexMatch "(a+)+$" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!" >>');
    assert.match(out, /^error: error calling regexMatch: regexp "\(a\+\)\+\$" repeats a repeated group/);
  });

  it('fails like Go on type mismatches and unknown fields, without throwing', () => {
    assert.equal(render('<< upper inputs.n >>', { n: 3 }), 'error: wrong type for value; expected string; got int64');
    assert.equal(render('<< inputs.n.x >>', { n: 3 }), "error: can't evaluate field x in type int64");
    assert.equal(render('<< nosuch 1 >>'), 'parse error: function "nosuch" not defined');
    assert.equal(render('<< if >>'), 'parse error: missing value for if');
    assert.equal(render('<< .tenant >>'), 'error: nil data; no entry for key "tenant"', 'templates read inputs, not dot');
    assert.equal(render('<< now >>'), 'parse error: function "now" not defined', 'the operator uses the hermetic function map');
    assert.equal(
      render('<< toDate "2006-01-02" "2024-01-01" >>'),
      'error: error calling toDate: flux-operator has this function, but it is not evaluated offline',
    );
  });
});
