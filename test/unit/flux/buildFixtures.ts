// Writing a repository and building a Flux Kustomization from it: shared by the in-memory tests of
// flux/build.ts and their kubectl comparisons.
import { strict as assert } from 'assert';
import * as nodeFs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { renderFluxKustomization, type FluxBuildResult } from '../../../server/src/flux/build';
import { readFluxObject, type FluxKustomization } from '../../../server/src/flux/objects';
import type { FindObject } from '../../../server/src/flux/substitute';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { parseYamlFile } from '../../../server/src/kustomize/yaml/parse';

/** Folders the tests wrote; each test file removes them with `after(removeTempDirs)`. */
export const tempDirs: string[] = [];
export function removeTempDirs(): void {
  for (const d of tempDirs.splice(0)) nodeFs.rmSync(d, { recursive: true, force: true });
}

export function writeRepo(files: Record<string, string>): string {
  const dir = nodeFs.realpathSync(nodeFs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-fluxbuild-')));
  tempDirs.push(dir);
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    nodeFs.mkdirSync(path.dirname(file), { recursive: true });
    nodeFs.writeFileSync(file, text);
  }
  return dir;
}

/** Reads the Flux Kustomization written at `rel` in the repo, with field ranges. */
export function fluxKustomization(repo: string, rel: string): FluxKustomization {
  const file = path.join(repo, rel);
  const doc = parseYamlFile(file, nodeFs.readFileSync(file, 'utf8')).documents[0];
  const read = readFluxObject(doc.value as JsonObject, { file, documentIndex: 0, range: doc.range, rangeOf: (p) => doc.locate(p) });
  assert.equal(read.value?.kind, 'Kustomization');
  return read.value as FluxKustomization;
}

export function build(
  repo: string,
  ksFile: string,
  findObject?: FindObject,
  options: { strictSubstitution?: boolean } = {},
): FluxBuildResult {
  return renderFluxKustomization(fluxKustomization(repo, ksFile), { repoRoot: repo, ...(findObject ? { findObject } : {}), ...options });
}

export const fluxKs = (name: string, specPath: string, extra = '') => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: flux-system
spec:
  interval: 10m
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ${specPath}
  prune: true
${extra}`;

export const cm = (name: string, data = 'key: value') => `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
data:
  ${data}
`;

export const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.25
`;
