// kustomize decodes kustomization files strictly: one misspelled key (`namePrefx`) fails the whole build,
// and kustomize's message does not say what was meant. The fix renames the key to the nearest known field.
import { KUSTOMIZATION_TYPE, type GoType } from '../kustomize/kustomizationSchema';
import { isObject } from '../kustomize/resource';
import type { Json, Range } from '../kustomize/types';
import { nearestNames } from '../util/editDistance';
import { kustomizationDocument, textAt } from './support/kustomizationEntries';
import type { Finding, Rule } from './rule';

const MAX_DEPTH = 32;

/** The struct a key at `documentPath` belongs to, following the document's keys through the Go types. */
function structAt(documentPath: ReadonlyArray<string | number>): Extract<GoType, { t: 'struct' }> | undefined {
  let type: GoType = KUSTOMIZATION_TYPE;
  for (const segment of documentPath.slice(0, -1).slice(0, MAX_DEPTH)) {
    if (type.t === 'list' && typeof segment === 'number') type = type.item;
    else if (type.t === 'map') type = type.value;
    else if (type.t === 'struct' && typeof segment === 'string') {
      const lower = segment.toLowerCase();
      const field = Object.keys(type.fields).find((f) => f === segment) ?? Object.keys(type.fields).find((f) => f.toLowerCase() === lower);
      if (!field) return undefined;
      type = type.fields[field];
    } else return undefined;
  }
  return type.t === 'struct' ? type : undefined;
}

/** The keys of the map holding the unknown key, so a rename never creates a duplicate. */
function siblingKeys(root: Json, documentPath: ReadonlyArray<string | number>): string[] {
  let node: Json | undefined = root;
  for (const segment of documentPath.slice(0, -1).slice(0, MAX_DEPTH)) {
    if (Array.isArray(node) && typeof segment === 'number') node = node[segment];
    else if (isObject(node) && typeof segment === 'string') node = node[segment];
    else return [];
  }
  return isObject(node) ? Object.keys(node).map((k) => k.toLowerCase()) : [];
}

function pathWords(documentPath: ReadonlyArray<string | number>): string {
  return documentPath
    .slice(0, -1)
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

export const unknownField: Rule = {
  id: 'unknown-field',
  severity: 'error',
  category: 'overlay',
  description: 'A kustomization file has a field kustomize does not know; kustomize refuses the whole file.',
  check({ index, isCancelled, checking }) {
    const findings: Finding[] = [];
    for (const file of index.kustomizationFiles()) {
      checking?.(file);
      if (isCancelled()) break;
      const problems = index.kustomization(file).problems.filter((p) => p.code === 'unknown-field' && p.file === file);
      if (problems.length === 0) continue;
      const doc = kustomizationDocument(index, file);
      const text = index.text(file);
      if (!doc || text === undefined) continue;
      for (const problem of problems) {
        const key = /unknown field "(.*)"$/.exec(problem.message)?.[1];
        if (key === undefined) continue;
        const documentPath = findKeyPath(doc.value, key, problem.range, (p) => doc.locate(p, { key: true }));
        const struct = documentPath && structAt(documentPath);
        const taken = documentPath ? siblingKeys(doc.value, documentPath) : [];
        const suggestion = struct
          ? nearestNames(key, Object.keys(struct.fields), {
              limit: 1,
              maxDistance: Math.min(4, Math.max(2, Math.floor(key.length / 3))),
            })[0]
          : undefined;
        const usable = suggestion !== undefined && !taken.includes(suggestion.toLowerCase());
        const range = problem.range ?? doc.range;
        const raw = textAt(text, range);
        const fixable = usable && raw !== undefined && raw.includes(key) && range.start.line === range.end.line;
        const place = documentPath && documentPath.length > 1 ? ` in ${pathWords(documentPath)}` : '';
        findings.push({
          file,
          range,
          message: `Unknown field '${key}'${place}: kustomize refuses the whole kustomization file. ${usable ? `Did you mean '${suggestion}'?` : struct ? `Known fields here: ${Object.keys(struct.fields).join(', ')}.` : 'Remove or rename it.'}`,
          fixes: fixable
            ? [{ title: `Rename to '${suggestion}'`, edits: [{ file, range, newText: raw!.replace(key, suggestion!) }], preferred: true }]
            : undefined,
        });
      }
    }
    return findings;
  },
};

/** The document path of the key whose range the problem reports (bounded walk over the parsed value). */
function findKeyPath(
  root: Json,
  key: string,
  range: Range | undefined,
  locateKey: (p: Array<string | number>) => Range | undefined,
): Array<string | number> | undefined {
  if (!range) return undefined;
  let budget = 10000;
  const walk = (node: Json, at: Array<string | number>, depth: number): Array<string | number> | undefined => {
    if (depth > MAX_DEPTH || --budget < 0) return undefined;
    if (Array.isArray(node)) {
      for (const [i, item] of node.entries()) {
        const found = walk(item, [...at, i], depth + 1);
        if (found) return found;
      }
    } else if (isObject(node)) {
      for (const [k, v] of Object.entries(node)) {
        if (k === key) {
          const r = locateKey([...at, k]);
          if (r && r.start.line === range.start.line && r.start.character === range.start.character) return [...at, k];
        }
        const found = walk(v, [...at, k], depth + 1);
        if (found) return found;
      }
    }
    return undefined;
  };
  return walk(root, [], 0);
}
