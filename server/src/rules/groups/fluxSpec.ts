// Flux rules about one object's spec: prune, wait, path, sources, durations, substitution.
import type { Rule } from '../rule';

export const fluxSpecRules: Rule[] = [];
