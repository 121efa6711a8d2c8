// Flux rules about one object's spec: prune, wait, path, sources, durations, substitution.
import { fluxKustomizationFileName } from '../flux-kustomization-file-name';
import { invalidDuration } from '../invalid-duration';
import { invalidFluxObject } from '../invalid-flux-object';
import { pathMissing } from '../path-missing';
import { productionMovingBranch } from '../production-moving-branch';
import { pruneDisabled } from '../prune-disabled';
import type { Rule } from '../rule';
import { sourceRefUnknown } from '../sourceref-unknown';
import { unresolvedVariable } from '../unresolved-variable';
import { waitHealthChecksIgnored } from '../wait-healthchecks-ignored';
import { waitMissing } from '../wait-missing';

export const fluxSpecRules: Rule[] = [pruneDisabled, waitMissing, waitHealthChecksIgnored, invalidDuration, invalidFluxObject, pathMissing, fluxKustomizationFileName, sourceRefUnknown, productionMovingBranch, unresolvedVariable];
