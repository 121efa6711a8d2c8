// The shape of a diagnostic rule (after ESLint's rules): a stable id, a default severity, a one-line
// description (the full page is docs/rules/<id>.md), and a check over the fleet index that returns
// findings with precise ranges and, where the rule can, fixes as text edits.
import type { FleetIndex } from '../fleet/fleetIndex';
import type { Place, Range } from '../kustomize/types';
import type { TextEdit } from '../kustomize/yaml/edit';

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export type { TextEdit };

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor offers first (VS Code's "preferred" quick fix). */
  preferred?: boolean;
}

export interface Finding {
  file: string;
  range: Range;
  /** What is wrong and what to do, in one or two sentences. */
  message: string;
  /** A rule whose findings differ in gravity (e.g. warning vs error variants) sets it; else the rule's severity. */
  severity?: Severity;
  fixes?: Fix[];
  related?: Array<Place & { message: string }>;
  /** Facts other features read instead of the message text (e.g. the dependsOn graph's edges); never shown. */
  data?: Readonly<Record<string, string>>;
}

export type RuleCategory = 'overlay' | 'flux' | 'render';

export interface Rule {
  id: string;
  severity: Severity;
  category: RuleCategory;
  description: string;
  check(ctx: RuleContext): Finding[];
}

export interface RuleContext {
  index: FleetIndex;
  /** True when the caller asked to stop (the editor typed again); long rules check it between units. */
  isCancelled(): boolean;
  /**
   * A rule that works file by file says which file it is on, so that if it throws, the failure is
   * reported on that file rather than on the repository's root kustomization.
   */
  checking?(file: string): void;
}
