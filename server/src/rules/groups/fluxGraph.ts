// Flux rules about how Kustomizations relate: dependsOn, health checks, what each provides.
import { dependsonCycle } from '../dependson-cycle';
import { dependsonMissing } from '../dependson-missing';
import { dependsonUnknown } from '../dependson-unknown';
import type { Rule } from '../rule';

export const fluxGraphRules: Rule[] = [dependsonUnknown, dependsonCycle, dependsonMissing];
