// How kyaml sees a value as text: scalars compare by their text, kinds are named like yaml.v3's.
import { stringify } from 'yaml';
import type { Json } from '../types';

/** The text of a scalar as kyaml compares it (`node.Value`); maps and lists have none. */
export function scalarText(value: Json | undefined): string {
  if (value === undefined || value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  return '';
}

export function describeKind(kind: 'map' | 'seq' | 'scalar'): string {
  return kind === 'map' ? 'MappingNode' : kind === 'seq' ? 'SequenceNode' : 'ScalarNode';
}

/** The node as YAML, for error messages. */
export function nodeText(value: Json): string {
  try {
    return stringify(value, { flowCollectionPadding: false }).trimEnd();
  } catch {
    return String(value);
  }
}
