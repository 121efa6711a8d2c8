// Did-you-mean support: the nearest names to a misspelled one.

/**
 * Levenshtein distance between `a` and `b` (insert, delete, substitute: cost 1). With `limit`,
 * returns `limit + 1` as soon as the distance is known to exceed it, keeping long inputs cheap.
 */
export function editDistance(a: string, b: string, limit = Number.POSITIVE_INFINITY): number {
  if (a === b) return 0;
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = new Array<number>(b.length + 1);
  let current = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = current[0];
    for (let j = 1; j <= b.length; j++) {
      const substitute = previous[j - 1] + (a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(substitute, previous[j] + 1, current[j - 1] + 1);
      if (current[j] < rowMin) rowMin = current[j];
    }
    if (rowMin > limit) return limit + 1;
    [previous, current] = [current, previous];
  }
  return previous[b.length];
}

export interface NearestOptions {
  /** Largest distance still worth suggesting; defaults to a third of the name's length, at least 1, at most 3. */
  maxDistance?: number;
  /** How many suggestions at most. */
  limit?: number;
}

/** Candidates closest to `name`, nearest first, ties by name; exact matches are not suggestions. */
export function nearestNames(name: string, candidates: Iterable<string>, opts: NearestOptions = {}): string[] {
  const maxDistance = opts.maxDistance ?? Math.min(3, Math.max(1, Math.floor(name.length / 3)));
  const limit = opts.limit ?? 3;
  const scored: Array<{ candidate: string; distance: number }> = [];
  const seen = new Set<string>();
  const lower = name.toLowerCase();
  for (const candidate of candidates) {
    if (candidate === name || seen.has(candidate)) continue;
    seen.add(candidate);
    // Case-only differences are the likeliest typo; count them as distance 0.5 so they come first.
    const distance = candidate.toLowerCase() === lower ? 0.5 : editDistance(name, candidate, maxDistance);
    if (distance <= maxDistance) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || (x.candidate < y.candidate ? -1 : x.candidate > y.candidate ? 1 : 0));
  return scored.slice(0, limit).map((s) => s.candidate);
}
