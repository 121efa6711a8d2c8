// Overlay rules that compare renders: patches, copies of bases, namespaces, images.
import type { Rule } from '../rule';

export const overlayRenderRules: Rule[] = [];
