import * as assert from 'assert';
import { imagesTransformer } from '../../../server/src/kustomize/transformers/images';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { requireKubectl } from '../kubectl-oracle';
import { runOurs } from '../../unit/kustomize/transformer-harness';
import { runKubectl } from '../kustomize/transformer-kubectl';
import type { KubectlRun } from '../kustomize/transformer-kubectl';

const pod = (...images: Array<string | undefined>) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
${images.map((img, i) => `  - name: c${i}${img === undefined ? '' : `\n    image: "${img}"`}`).join('\n')}
`;

const workloads = `apiVersion: apps/v1
kind: Deployment
metadata: {name: d}
spec:
  template:
    spec:
      initContainers: [{name: i, image: nginx}]
      containers: [{name: a, image: "nginx:1.0"}, {name: b, image: redis}]
      ephemeralContainers: [{name: x, image: nginx}]
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers: [{name: a, image: nginx}]
---
apiVersion: example.com/v1
kind: Thing
metadata: {name: t}
spec:
  deep:
    containers: [{name: a, image: nginx}]
    initContainers: [{image: "nginx:old"}]
  image: nginx
  other:
    containers: {image: nginx}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: a, image: nginx}]
  volumes:
  - name: v
    image: {reference: "nginx:1"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm}
data: {image: nginx}
`;

const cases: Array<{ name: string; input: string; field: string }> = [
  {
    name: 'newTag on untagged, tagged and digested images',
    input: pod('nginx', 'nginx:1.0', 'nginx@sha256:abc', 'nginx:1.0@sha256:abc'),
    field: 'images:\n- name: nginx\n  newTag: "1.25"',
  },
  {
    name: 'digest replaces the tag',
    input: pod('nginx', 'nginx:1.0', 'nginx:1.0@sha256:abc'),
    field: 'images:\n- name: nginx\n  digest: sha256:fff',
  },
  {
    name: 'newTag and digest together keep both',
    input: pod('nginx', 'nginx:1.0@sha256:abc'),
    field: 'images:\n- name: nginx\n  newTag: "7"\n  digest: sha256:eee',
  },
  {
    name: 'newName keeps tag and digest',
    input: pod('nginx', 'nginx:1.0', 'nginx@sha256:abc'),
    field: 'images:\n- name: nginx\n  newName: registry.example.com/team/nginx',
  },
  { name: 'newName with newTag', input: pod('nginx:1.0'), field: 'images:\n- name: nginx\n  newName: mirror/nginx\n  newTag: v2' },
  {
    name: 'name must match the whole repository',
    input: pod('docker.io/nginx', 'my-nginx', 'nginxx', 'nginx/sub'),
    field: 'images:\n- name: nginx\n  newTag: x',
  },
  {
    name: 'registry with a port is not a tag',
    input: pod('localhost:5000/nginx', 'localhost:5000/nginx:2', 'localhost:5000/nginx:2@sha256:abc'),
    field: 'images:\n- name: localhost:5000/nginx\n  newTag: "3"',
  },
  {
    name: 'registry with port and newName',
    input: pod('localhost:5000/nginx:2'),
    field: 'images:\n- name: localhost:5000/nginx\n  newName: other:6000/x/nginx',
  },
  {
    name: 'name with a path',
    input: pod('ghcr.io/org/tool', 'ghcr.io/org/tool:v1', 'ghcr.io/org/toolbox'),
    field: 'images:\n- name: ghcr.io/org/tool\n  newName: mirror.io/tool\n  newTag: v9',
  },
  {
    name: 'name is a regular expression',
    input: pod('ngnx', 'ngiinx', 'app-1', 'app-22:v1'),
    field: 'images:\n- name: ng.x\n  newTag: v2\n- name: app-[0-9]+\n  newName: apps',
  },
  {
    name: 'name including a tag matches only that tag',
    input: pod('busybox:1.0', 'busybox:2.0', 'busybox'),
    field: 'images:\n- name: busybox:1.0\n  newTag: "9"',
  },
  { name: 'containers without an image are left alone', input: pod(undefined, 'nginx'), field: 'images:\n- name: nginx\n  newTag: x' },
  {
    name: 'several rules apply in order',
    input: pod('a', 'b:1', 'c'),
    field: 'images:\n- name: a\n  newName: b\n- name: b\n  newTag: "2"',
  },
  {
    name: 'every workload kind, custom resources and deep containers; not ephemeral containers, volumes or other fields',
    input: workloads,
    field: 'images:\n- name: nginx\n  newName: reg/nginx\n  newTag: "1.25"',
  },
  { name: 'no rule matches', input: workloads, field: 'images:\n- name: postgres\n  newTag: "16"' },
  { name: 'legacy imageTags field', input: pod('nginx'), field: 'imageTags:\n- name: nginx\n  newTag: old' },
  {
    name: 'tag with dots and dashes in the original',
    input: pod('nginx:1.25.3-alpine', 'nginx:v1_2'),
    field: 'images:\n- name: nginx\n  newTag: stable',
  },
];

describe('images', () => {
  describe('differential against kubectl kustomize', function () {
    const oracle = new Map<object, KubectlRun>();
    before(async function () {
      this.timeout(30000);
      requireKubectl(this);
      const all = [...cases];
      const runs = await Promise.all(all.map((c) => runKubectl(c.input, c.field)));
      all.forEach((c, i) => oracle.set(c, runs[i]));
    });
    for (const c of cases) {
      it(c.name, () => {
        const expected = oracle.get(c)!;
        assert.strictEqual(expected.error, undefined, expected.error);
        const images = ((expected.config.images ?? expected.config.imageTags) as JsonObject[]) ?? [];
        const ours = runOurs(imagesTransformer, c.input, { images });
        assert.deepStrictEqual(ours.problems, []);
        assert.deepStrictEqual(ours.objects, expected.objects);
      });
    }
  });
});
