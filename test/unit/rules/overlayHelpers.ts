// Test helpers for the overlay rules: the seed fleet copied into a temp repo, a base app to build overlays on.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Rule } from '../../../server/src/rules/rule';
import { makeFleet, type Fleet } from './harness';

const SEED = path.join(__dirname, '..', '..', 'fixtures', 'fleet-infra');

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, readTree(path.join(dir, entry.name), rel));
    else out[rel] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return out;
}

export function seedFleet(): Fleet {
  return makeFleet(readTree(SEED));
}

/** The seed fleet (the article's layout) must check clean for the rule. */
export function assertSeedClean(rule: Rule): void {
  const fleet = seedFleet();
  try {
    assert.deepStrictEqual(
      fleet.check(rule).map((d) => `${d.file}:${d.range.start.line}: ${d.message}`),
      [],
    );
  } finally {
    fleet.dispose();
  }
}

export const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-app
  labels:
    app: my-app
spec:
  replicas: 1
  selector:
    matchLabels:
      app: my-app
  template:
    metadata:
      labels:
        app: my-app
    spec:
      containers:
      - name: app
        image: ghcr.io/example/my-app:1.0.0
`;

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: my-app
spec:
  selector:
    app: my-app
  ports:
  - port: 80
`;

/** A base (`apps/base/my-app`) with a Deployment and a Service, plus the given files. */
export function baseFleet(files: Record<string, string>): Fleet {
  return makeFleet({
    'apps/base/my-app/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n- service.yaml\n',
    'apps/base/my-app/deployment.yaml': DEPLOYMENT,
    'apps/base/my-app/service.yaml': SERVICE,
    ...files,
  });
}
