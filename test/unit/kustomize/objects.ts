// Test helper: YAML text to objects, and a stable order for comparing them.
import { parseAllDocuments } from 'yaml';
import type { JsonObject } from '../../../server/src/kustomize/types';

/** Parses a multi-document YAML string into objects, as the build's loader would. */
export function parseObjects(text: string): JsonObject[] {
  return parseAllDocuments(text)
    .map((d) => d.toJS() as JsonObject | null)
    .filter((o): o is JsonObject => o !== null && typeof o === 'object');
}

/** Sorts objects by kind, namespace and name so that output order does not matter in comparisons. */
export function sortObjects(objects: JsonObject[]): JsonObject[] {
  const key = (o: JsonObject) => {
    const meta = (o.metadata ?? {}) as JsonObject;
    return `${String(o.kind)}/${String(meta.namespace ?? '')}/${String(meta.name)}`;
  };
  return objects.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
