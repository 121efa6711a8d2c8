import * as assert from 'assert';
import { replacementsTransformer } from '../../../server/src/kustomize/transformers/replacements';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { requireKubectl } from '../kubectl-oracle';
import { runOurs } from '../../unit/kustomize/transformer-harness';
import { runKubectl } from '../kustomize/transformer-kubectl';
import type { KubectlRun } from '../kustomize/transformer-kubectl';

const objects = `apiVersion: v1
kind: ConfigMap
metadata: {name: src, labels: {role: src}}
data: {port: "8080", host: "db.example.com:5432", num: "3", flag: "true", img: "nginx:1.2.3", empty: ""}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-1, labels: {tier: web}, annotations: {a.b/c: x}}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: busybox:1
        ports: [{containerPort: 80}]
        env: [{name: PORT, value: "x"}, {name: HOST, value: "a.b.c"}]
        args: [--a, --b]
      - name: side
        image: side:1
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-2, namespace: prod, labels: {tier: api}}
spec:
  replicas: 1
  template:
    spec:
      containers:
      - name: app
        image: busybox:1
---
apiVersion: v1
kind: Service
metadata: {name: svc, namespace: prod}
spec:
  ports: [{port: 80, targetPort: 8080}]
`;

const src = (fieldPath: string, extra = '') => `  source: {kind: ConfigMap, name: src, fieldPath: ${fieldPath}${extra}}`;

const cases: Array<{ name: string; field: string }> = [
  {
    name: 'list selectors, indexes, wildcards and bracketed keys; string into int keeps int',
    field: `replacements:\n-${src('data.port').slice(1)}\n  targets:\n  - select: {kind: Deployment, name: app-1}\n    fieldPaths:\n    - spec.template.spec.containers.[name=app].ports.0.containerPort\n    - spec.replicas\n    - spec.template.spec.containers.*.env.[name=PORT].value\n    - "metadata.annotations.[a.b/c]"\n    - metadata.labels.tier`,
  },
  {
    name: 'default source and target field path is metadata.name',
    field: 'replacements:\n- source: {kind: ConfigMap, name: src}\n  targets:\n  - select: {kind: Service}',
  },
  {
    name: 'int source into a string target stays a string',
    field:
      'replacements:\n- source: {kind: Deployment, name: app-1, fieldPath: spec.replicas}\n  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [data.flag]',
  },
  {
    name: 'create makes untyped fields, lists and list items',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.num}\n  targets:\n  - select: {kind: Deployment, name: app-2}\n    fieldPaths: [metadata.labels.n, spec.selector.matchLabels.n, "spec.template.spec.containers.[name=app].args.[=x]", spec.x.0, spec.y.z.0.a, "spec.template.spec.containers.[name=new].image"]\n    options: {create: true}',
  },
  {
    name: 'created annotations are strings',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.num}\n  targets:\n  - select: {kind: Deployment, name: app-2}\n    fieldPaths: [metadata.annotations.x]\n    options: {create: true}',
  },
  {
    name: 'create on a field that exists keeps its type',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.num}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: [spec.replicas]\n    options: {create: true}',
  },
  {
    name: 'source delimiter and index; target delimiter replace, append and prepend',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.host, options: {delimiter: ":", index: 1}}\n  targets:\n  - select: {kind: Deployment, name: app-1}\n    fieldPaths: ["spec.template.spec.containers.[name=app].env.[name=HOST].value"]\n    options: {delimiter: ".", index: 1}\n  - select: {kind: Deployment, name: app-1}\n    fieldPaths: ["spec.template.spec.containers.[name=side].image"]\n    options: {delimiter: ":", index: 5}\n  - select: {kind: Deployment, name: app-2}\n    fieldPaths: ["spec.template.spec.containers.[name=app].image"]\n    options: {delimiter: ":", index: -1}',
  },
  {
    name: 'image tag from a source into a target image',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.img, options: {delimiter: ":", index: 1}}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: ["spec.template.spec.containers.[name=app].image"]\n    options: {delimiter: ":", index: 1}',
  },
  {
    name: 'names are not regular expressions',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {name: app-.*}\n    fieldPaths: [metadata.annotations.p]\n    options: {create: true}',
  },
  {
    name: 'label selector with a set, and reject by selector and by name',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {labelSelector: "tier in (web,api)"}\n    reject: [{labelSelector: "tier=api"}, {name: src}]\n    fieldPaths: [metadata.annotations.p]\n    options: {create: true}',
  },
  {
    name: 'annotation selector',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {annotationSelector: "a.b/c=x"}\n    fieldPaths: [metadata.annotations.p]\n    options: {create: true}',
  },
  {
    name: 'label selector with != and existence',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {labelSelector: "tier,tier!=web"}\n    fieldPaths: [metadata.annotations.p]\n    options: {create: true}\n  - select: {labelSelector: "!tier"}\n    fieldPaths: [metadata.annotations.q]\n    options: {create: true}',
  },
  {
    name: 'select by namespace and by group/version',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {namespace: prod, group: apps, version: v1}\n    fieldPaths: [metadata.annotations.p]\n    options: {create: true}',
  },
  {
    name: 'reject by kind',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {namespace: prod}\n    reject: [{kind: Service}]\n    fieldPaths: [metadata.annotations.p]\n    options: {create: true}',
  },
  {
    name: 'map source replaces a map target; into a scalar target gives an empty string',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: metadata.labels}\n  targets:\n  - select: {kind: Deployment, name: app-1}\n    fieldPaths: [spec.template.spec.containers.0.image, metadata.annotations]',
  },
  {
    name: 'list source replaces a list',
    field:
      'replacements:\n- source: {kind: Deployment, name: app-1, fieldPath: spec.template.spec.containers.0.ports}\n  targets:\n  - select: {kind: Service}\n    fieldPaths: [spec.ports]',
  },
  {
    name: 'int to int',
    field:
      'replacements:\n- source: {kind: Service, fieldPath: spec.ports.0.targetPort}\n  targets:\n  - select: {kind: Deployment}\n    fieldPaths: ["spec.template.spec.containers.[name=app].image"]',
  },
  {
    name: 'replacements apply in order, the second sees the first',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {kind: Service}\n    fieldPaths: [metadata.annotations.a]\n    options: {create: true}\n- source: {kind: Service, fieldPath: metadata.annotations.a}\n  targets:\n  - select: {kind: ConfigMap}\n    fieldPaths: [data.copied]\n    options: {create: true}',
  },
  {
    name: 'empty string source is copied',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.empty}\n  targets:\n  - select: {kind: Service}\n    fieldPaths: [spec.ports.0.name]\n    options: {create: true}',
  },
  {
    name: 'a target selecting nothing is fine',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets:\n  - select: {kind: Secret}\n    fieldPaths: [data.x]',
  },
];

const failing: Array<{ name: string; field: string; message: RegExp }> = [
  {
    name: 'source not found',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: nope}\n  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.annotations.x]}]',
    message: /nothing selected by ConfigMap\.\[noVer\]\.\[noGrp\]\/nope\.\[noNs\]/,
  },
  {
    name: 'several sources',
    field: 'replacements:\n- source: {kind: Deployment}\n  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.annotations.x]}]',
    message: /multiple matches for selector Deployment\.\[noVer\]\.\[noGrp\]\/\[noName\]\.\[noNs\]/,
  },
  {
    name: 'source field missing',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.missing}\n  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.annotations.x]}]',
    message: /fieldPath `data.missing` is missing for replacement source ConfigMap\.\[noVer\]\.\[noGrp\]\/src\.\[noNs\]/,
  },
  {
    name: 'no targets',
    field: 'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}',
    message: /replacements must specify a source and at least one target/,
  },
  {
    name: 'no source',
    field: 'replacements:\n- targets: [{select: {kind: Deployment}}]',
    message: /replacements must specify a source and at least one target/,
  },
  {
    name: 'source index out of bounds',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port, options: {delimiter: ":", index: 3}}\n  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.name]}]',
    message: /options.index 3 is out of bounds for value 8080/,
  },
  {
    name: 'target delimiter on a map',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets: [{select: {kind: Deployment, name: app-1}, fieldPaths: [spec.template], options: {delimiter: "."}}]',
    message: /delimiter option can only be used with scalar nodes/,
  },
  {
    name: 'target without select',
    field: 'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets: [{fieldPaths: [spec.template]}]',
    message: /target must specify resources to select/,
  },
  {
    name: 'target field missing without create',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets: [{select: {kind: Deployment}, fieldPaths: ["spec.template.spec.containers.[name=app].ports.0.containerPort"]}]',
    message: /unable to find field "spec.template.spec.containers.\[name=app\].ports.0.containerPort" in replacement target/,
  },
  {
    name: 'create with an index past the end',
    field:
      'replacements:\n- source: {kind: ConfigMap, name: src, fieldPath: data.port}\n  targets: [{select: {kind: Deployment, name: app-2}, fieldPaths: [spec.x.1], options: {create: true}}]',
    message: /unable to find or create field "spec.x.1" in replacement target: index 1 specified but only 0 elements found/,
  },
];

describe('replacements', () => {
  describe('differential against kubectl kustomize', function () {
    const oracle = new Map<object, KubectlRun>();
    before(async function () {
      this.timeout(30000);
      requireKubectl(this);
      const all = [...cases, ...failing];
      const runs = await Promise.all(all.map((c) => runKubectl(objects, c.field)));
      all.forEach((c, i) => oracle.set(c, runs[i]));
    });
    for (const c of cases) {
      it(c.name, () => {
        const expected = oracle.get(c)!;
        assert.strictEqual(expected.error, undefined, expected.error);
        const ours = runOurs(replacementsTransformer, objects, { replacements: expected.config.replacements as JsonObject[] });
        assert.deepStrictEqual(ours.problems, []);
        assert.deepStrictEqual(ours.objects, expected.objects);
      });
    }
    for (const c of failing) {
      it(`fails like kubectl: ${c.name}`, () => {
        const expected = oracle.get(c)!;
        assert.ok(expected.error, 'kubectl should fail');
        assert.match(expected.error.replace(/\\"/g, '"'), c.message);
        const ours = runOurs(replacementsTransformer, objects, { replacements: expected.config.replacements as JsonObject[] });
        assert.strictEqual(ours.problems.length, 1);
        assert.match(ours.problems[0].message, c.message);
      });
    }
  });
});
