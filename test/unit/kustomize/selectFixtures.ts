// The objects the selector tests select from, shared by the in-memory tests and the kubectl comparisons.
import * as assert from 'assert';
import { makeResource } from '../../../server/src/kustomize/resource';
import { selectResources, type Selector } from '../../../server/src/kustomize/select';
import type { JsonObject, Resource } from '../../../server/src/kustomize/types';
import { parseObjects } from './objects';

export const objectsYaml = `apiVersion: v1
kind: ConfigMap
metadata: {name: app-a, labels: {tier: web, env: prod}, annotations: {note: hello, count: "3"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: app-b, namespace: default, labels: {tier: db, weight: "10"}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: xapp-c, namespace: shop, labels: {env: dev, empty: ""}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: app-role, labels: {tier: web}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: app-a, namespace: shop}
`;

export function resources(): Resource[] {
  return parseObjects(objectsYaml).map((o, i) => makeResource(o, { file: '/objects.yaml', documentIndex: i }));
}

export function names(sel: Selector): string[] {
  const { selected, error } = selectResources(resources(), sel);
  assert.strictEqual(error, undefined);
  return selected.map((r) => `${r.object.kind}/${(r.object.metadata as JsonObject).name}`).sort();
}
