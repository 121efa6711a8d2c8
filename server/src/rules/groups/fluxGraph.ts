// Flux rules about how Kustomizations relate: dependsOn, health checks, what each provides.
import { dependsonCycle } from '../dependson-cycle';
import { dependsonMissing } from '../dependson-missing';
import { dependsonUnknown } from '../dependson-unknown';
import { healthcheckUnknown } from '../healthcheck-unknown';
import type { Rule } from '../rule';
import { targetnamespaceMissing } from '../targetnamespace-missing';

export const fluxGraphRules: Rule[] = [dependsonUnknown, dependsonCycle, dependsonMissing, healthcheckUnknown, targetnamespaceMissing];
