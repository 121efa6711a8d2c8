// What reading a Flux object finds wrong with its fields (`prune: "true"`, a list where a map belongs,
// an apiVersion that is not served): the API server refuses such an object, or the controller
// misreads it. Reported at the field.
import { classifyFluxObject, FLUX_KINDS } from '../flux/objects';
import { isObject } from '../kustomize/resource';
import type { Problem, Range } from '../kustomize/types';
import { durationPaths } from './invalid-duration';
import { quotedLike, sameRange, textAt } from './support/fluxSpecHelpers';
import type { Finding, Fix, Rule } from './rule';
import type { FleetIndex } from '../fleet/fleetIndex';

export const invalidFluxObject: Rule = {
  id: 'invalid-flux-object',
  severity: 'error',
  category: 'flux',
  description: 'Flux object with a field of the wrong type or shape, or an apiVersion that is not served.',
  check({ index }) {
    const findings: Finding[] = [];
    const durationRanges = durationRangesByFile(index);
    for (const problem of index.fluxObjects().problems) {
      // A duration of the wrong type (`interval: 60`) is invalid-duration's, which knows the fix.
      if (durationRanges.get(problem.file)?.some((r) => sameRange(r, problem.range))) continue;
      const text = index.text(problem.file);
      const range = problem.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const fix = text === undefined ? undefined : fixFor(index, problem, range, text);
      findings.push({
        file: problem.file,
        range,
        message: problem.message,
        severity: problem.severity,
        fixes: fix ? [fix] : undefined,
      });
    }
    return findings;
  },
};

function durationRangesByFile(index: FleetIndex): Map<string, Range[]> {
  const out = new Map<string, Range[]>();
  for (const file of new Set(index.fluxObjects().problems.map((p) => p.file))) {
    const ranges: Range[] = [];
    for (const doc of index.parsed(file)?.documents ?? []) {
      if (!isObject(doc.value)) continue;
      const c = classifyFluxObject(doc.value);
      if (!c) continue;
      for (const p of durationPaths(c.kind)) {
        const r = doc.locate(p);
        if (r) ranges.push(r);
      }
    }
    out.set(file, ranges);
  }
  return out;
}

function fixFor(index: FleetIndex, problem: Problem, range: Range, text: string): Fix | undefined {
  const written = textAt(text, range);
  const edit = (newText: string, title: string): Fix => ({ title, edits: [{ file: problem.file, range, newText }], preferred: true });
  if (problem.code === 'flux-field-type' && /remove the quotes/.test(problem.message)) {
    const m = /^(["'])(true|false)\1$/.exec(written);
    if (m) return edit(m[2], `Write ${m[2]} without quotes`);
  }
  if (problem.code === 'flux-field-type' && /Quote the value/.test(problem.message) && !/[\n"'\\]/.test(written) && written !== '') {
    return edit(JSON.stringify(written), `Quote ${written}`);
  }
  if (
    problem.code === 'flux-unknown-api-version' ||
    problem.code === 'flux-removed-api-version' ||
    problem.code === 'flux-deprecated-api-version'
  ) {
    const doc = index
      .parsed(problem.file)
      ?.documents.find((d) => d.range.start.line <= range.start.line && range.end.line <= d.range.end.line);
    const c = doc && isObject(doc.value) ? classifyFluxObject(doc.value) : undefined;
    if (c) {
      const served = `${c.group}/${FLUX_KINDS[c.kind].versions[0]}`;
      return edit(quotedLike(written, served), `Use ${served}`);
    }
  }
  return undefined;
}
