// Fleet fixtures shared by the Flux graph rule tests: Flux Kustomizations with a fixed layout (so
// tests can name exact lines), folders they apply, and the seed fleet copied into a temp repo.
import * as fs from 'fs';
import * as path from 'path';
import { makeFleet, type Fleet } from './harness';

/**
 * A Flux Kustomization whose `extra` spec lines start at line 12 (0-based):
 * line 3 `  name: <name>`, line 7 `  path: ./<path>`.
 */
export function fluxKs(name: string, extra = '', options: { path?: string; namespace?: string } = {}): string {
  return `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${name}
  namespace: ${options.namespace ?? 'flux-system'}
spec:
  interval: 10m
  path: ./${options.path ?? name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
${extra}`;
}

export function configMap(name: string, namespace?: string): string {
  return `apiVersion: v1
kind: ConfigMap
metadata:
  name: ${name}
${namespace ? `  namespace: ${namespace}\n` : ''}data:
  key: value
`;
}

export function namespace(name: string): string {
  return `apiVersion: v1
kind: Namespace
metadata:
  name: ${name}
`;
}

/** A folder applied by a Kustomization: a kustomization.yaml listing the given files. */
export function folder(dir: string, files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(files)) out[`${dir}/${name}`] = text;
  out[`${dir}/kustomization.yaml`] = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${Object.keys(files)
  .map((f) => `- ${f}\n`)
  .join('')}`;
  return out;
}

const SEED = path.resolve(__dirname, '../../fixtures/fleet-infra');

function readTree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) Object.assign(out, readTree(path.join(dir, entry.name), rel));
    else out[rel] = fs.readFileSync(path.join(dir, entry.name), 'utf8');
  }
  return out;
}

/** The seed fleet (test/fixtures/fleet-infra) in a temp repo, with optional files replaced or added. */
export function seedFleet(changes: Record<string, string> = {}): Fleet {
  return makeFleet({ ...readTree(SEED), ...changes });
}
