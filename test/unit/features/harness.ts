// Test harness for the editing features: a fleet written to a temp repository, indexed, with helpers to
// name positions by the text at them (`at('apps/x.yaml', 'name: web', 6)` = 6 characters into that text).
import { pathToFileURL } from 'url';
import type { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import type { Position, Range } from '../../../server/src/kustomize/types';
import { makeFleet } from '../rules/harness';

export interface FeatureFleet {
  root: string;
  index: FleetIndex;
  file(rel: string): string;
  uri(rel: string): string;
  /** The position `offset` characters into the `nth` occurrence of `needle` in the file. */
  at(rel: string, needle: string, offset?: number, nth?: number): Position;
  /** The range of the `nth` occurrence of `needle` in the file. */
  range(rel: string, needle: string, nth?: number): Range;
  dispose(): void;
}

export function makeFeatureFleet(files: Record<string, string>): FeatureFleet {
  // The temp repository and its index are the rule harness's; this adds positions named by text.
  const { root, index, dispose } = makeFleet(files);
  const file = (rel: string) => `${root}/${rel}`;
  const positionOf = (rel: string, needle: string, offset: number, nth: number): Position => {
    const text = files[rel];
    let at = -1;
    for (let i = 0; i <= nth; i++) {
      at = text.indexOf(needle, at + 1);
      if (at < 0) throw new Error(`'${needle}' (#${nth}) not in ${rel}`);
    }
    const before = text.slice(0, at + offset).split('\n');
    return { line: before.length - 1, character: before[before.length - 1].length };
  };
  return {
    root,
    index,
    file,
    uri: (rel) => pathToFileURL(file(rel)).toString(),
    at: (rel, needle, offset = 0, nth = 0) => positionOf(rel, needle, offset, nth),
    range: (rel, needle, nth = 0) => ({ start: positionOf(rel, needle, 0, nth), end: positionOf(rel, needle, needle.length, nth) }),
    dispose,
  };
}
