// Flux rules about how Kustomizations relate: dependsOn, health checks, what each provides.
import type { Rule } from '../rule';

export const fluxGraphRules: Rule[] = [];
