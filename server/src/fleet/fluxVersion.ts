// The Flux version a fleet declares, where it declares one: the header `flux bootstrap` writes into
// `gotk-components.yaml` ("# Flux Version: v2.6.1"), and a FluxInstance's `spec.distribution.version` (also as
// the flux-instance chart's `instance.distribution.version` values), and a source through which Flux installs
// itself (a GitRepository of github.com/fluxcd/flux2 or an OCIRepository of ghcr.io/fluxcd/flux-manifests, at
// a release tag). It decides one default that changed
// between releases: kustomize-controller v1.9 (Flux 2.9) substitutes strictly by default (the
// StrictPostBuildSubstitutions feature gate on: a `${VAR}` with no value and no default fails the build);
// before, such a variable became an empty string.
import * as path from 'path';
import { getPath, isObject } from '../kustomize/resource';
import type { Json } from '../kustomize/types';
import type { ParsedFile } from '../kustomize/yaml/parse';

export interface DeclaredFluxVersion {
  file: string;
  /** As written: `v2.6.1`, `2.6.x`, `2.x`. */
  version: string;
}

/** Whether a file may declare a Flux version (cheap, from its name and text). */
export function mayDeclareFluxVersion(file: string, text: string): boolean {
  if (path.posix.basename(file) === 'gotk-components.yaml') return true;
  if (text.includes('fluxcd/flux2') || text.includes('fluxcd/flux-manifests')) return true;
  return text.includes('distribution') && (text.includes('FluxInstance') || text.includes('instance:'));
}

export function declaredFluxVersions(
  files: Iterable<string>,
  textOf: (file: string) => string | undefined,
  parsed: (file: string) => ParsedFile | undefined,
): DeclaredFluxVersion[] {
  const out: DeclaredFluxVersion[] = [];
  for (const file of files) {
    const text = textOf(file);
    if (text === undefined || !mayDeclareFluxVersion(file, text)) continue;
    if (path.posix.basename(file) === 'gotk-components.yaml') {
      const header = /^#\s*Flux Version:\s*(\S+)/m.exec(text.slice(0, 4096));
      if (header) out.push({ file, version: header[1] });
      continue;
    }
    for (const doc of parsed(file)?.documents ?? []) {
      const version = distributionVersion(doc.value);
      if (version) out.push({ file, version });
    }
  }
  return out;
}

/** github.com/fluxcd/flux2 (its manifests/ folder) or ghcr.io/fluxcd/flux-manifests. */
const FLUX_ITSELF = /(github\.com[/:]fluxcd\/flux2(\.git)?|ghcr\.io\/fluxcd\/flux-manifests)\/?$/;

function distributionVersion(value: Json): string | undefined {
  if (!isObject(value)) return undefined;
  if (
    (value.kind === 'GitRepository' || value.kind === 'OCIRepository') &&
    FLUX_ITSELF.test(String(getPath(value, ['spec', 'url']) ?? ''))
  ) {
    const tag = getPath(value, ['spec', 'ref', 'tag']);
    return typeof tag === 'string' ? tag : undefined;
  }
  const candidates =
    value.kind === 'FluxInstance'
      ? [getPath(value, ['spec', 'distribution', 'version'])]
      : value.kind === 'HelmRelease'
        ? [getPath(value, ['spec', 'values', 'instance', 'distribution', 'version'])]
        : value.kind === undefined
          ? [getPath(value, ['instance', 'distribution', 'version'])]
          : [];
  const found = candidates.find((v) => typeof v === 'string' || typeof v === 'number');
  return found === undefined ? undefined : String(found);
}

/** Flux's minor version when a declared version pins one (`v2.6.1`, `2.6.x`); undefined for `2.x`, ranges, templates. */
export function pinnedMinor(version: string): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(?:\d+|x|\*))?$/.exec(version.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/**
 * Strict substitution unless every version the fleet declares is pinned below Flux 2.9 (a fleet that says
 * nothing, or follows `2.x`, gets the current Flux's behaviour).
 */
export function strictSubstitutionByDefault(versions: readonly DeclaredFluxVersion[]): boolean {
  if (versions.length === 0) return true;
  return !versions.every((v) => {
    const pinned = pinnedMinor(v.version);
    return pinned !== undefined && (pinned.major < 2 || (pinned.major === 2 && pinned.minor < 9));
  });
}
