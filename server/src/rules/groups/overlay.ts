// Overlay rules: kustomization files and what they render.
import type { Rule } from '../rule';

export const overlayRules: Rule[] = [];
