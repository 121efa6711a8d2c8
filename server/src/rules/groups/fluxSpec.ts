// Flux rules about one object's spec: prune, wait, path, sources, durations, substitution.
import { pruneDisabled } from '../prune-disabled';
import type { Rule } from '../rule';

export const fluxSpecRules: Rule[] = [pruneDisabled];
