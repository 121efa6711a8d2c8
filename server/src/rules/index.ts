// The rule catalogue, in the order rules run and are listed (docs/rules/README.md): one rule per file;
// this list is the only place that names them all. Each group is also exported for tests that run one kind.

import { copiedManifest } from './copied-manifest';
import { dependsonCycle } from './dependson-cycle';
import { dependsonMissing } from './dependson-missing';
import { dependsonUnknown } from './dependson-unknown';
import { deprecatedField } from './deprecated-field';
import { fluxGeneratorError } from './flux-generator-error';
import { fluxKustomizationFileName } from './flux-kustomization-file-name';
import { healthcheckUnknown } from './healthcheck-unknown';
import { helmreleaseChart } from './helmrelease-chart';
import { imageUnused } from './image-unused';
import { invalidDuration } from './invalid-duration';
import { invalidFluxObject } from './invalid-flux-object';
import { missingPath } from './missing-path';
import { namespaceCollision } from './namespace-collision';
import { namespaceMissing } from './namespace-missing';
import { objectAppliedTwice } from './object-applied-twice';
import { patchRedundant } from './patch-redundant';
import { patchTargetMissing } from './patch-target-missing';
import { pathMissing } from './path-missing';
import { pathOutsideRepo } from './path-outside-repo';
import { productionMovingBranch } from './production-moving-branch';
import { pruneDisabled } from './prune-disabled';
import { remoteResource } from './remote-resource';
import { renderError } from './render-error';
import { sourceRefUnknown } from './sourceref-unknown';
import { targetnamespaceMissing } from './targetnamespace-missing';
import { unknownField } from './unknown-field';
import { unresolvedVariable } from './unresolved-variable';
import { valuesFromInvalid } from './values-from-invalid';
import { valuesFromMissing } from './values-from-missing';
import { waitHealthChecksIgnored } from './wait-healthchecks-ignored';
import { waitMissing } from './wait-missing';
import type { Rule } from './rule';

// Overlay rules: kustomization files and what they render.
export const overlayRules: Rule[] = [missingPath, pathOutsideRepo, remoteResource, renderError, unknownField, deprecatedField];

// Overlay rules that compare renders: patches, copies of bases, namespaces, images.
export const overlayRenderRules: Rule[] = [
  patchTargetMissing,
  patchRedundant,
  copiedManifest,
  imageUnused,
  namespaceMissing,
  namespaceCollision,
];

// Flux rules about how Kustomizations relate: dependsOn, health checks, what each provides.
export const fluxGraphRules: Rule[] = [
  dependsonUnknown,
  dependsonCycle,
  dependsonMissing,
  healthcheckUnknown,
  targetnamespaceMissing,
  objectAppliedTwice,
  fluxGeneratorError,
];

// Flux rules about one object's spec: prune, wait, path, sources, durations, substitution.
export const fluxSpecRules: Rule[] = [
  pruneDisabled,
  waitMissing,
  waitHealthChecksIgnored,
  invalidDuration,
  invalidFluxObject,
  pathMissing,
  fluxKustomizationFileName,
  sourceRefUnknown,
  productionMovingBranch,
  unresolvedVariable,
  helmreleaseChart,
  valuesFromMissing,
  valuesFromInvalid,
];

export function allRules(): Rule[] {
  return [...overlayRules, ...overlayRenderRules, ...fluxGraphRules, ...fluxSpecRules];
}
