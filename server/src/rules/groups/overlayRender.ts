// Overlay rules that compare renders: patches, copies of bases, namespaces, images.
import { copiedManifest } from '../copied-manifest';
import { imageUnused } from '../image-unused';
import { namespaceCollision } from '../namespace-collision';
import { namespaceMissing } from '../namespace-missing';
import { patchRedundant } from '../patch-redundant';
import { patchTargetMissing } from '../patch-target-missing';
import type { Rule } from '../rule';

export const overlayRenderRules: Rule[] = [patchTargetMissing, patchRedundant, copiedManifest, imageUnused, namespaceMissing, namespaceCollision];
