// What one kustomization's transformers made of each object, kept between renders. In a fleet overlay
// each object is touched by its own patch and by the overlay-wide fields (namespace, labels, images):
// after an edit of one patch file, only the object that patch touches needs its transformers run again.
//
// An object's result is reused when the object is the same (its identity: the parsed document or cached
// folder build it came from) and so is everything that decides the result: the kustomization's text and
// field specs (a token for them) and the text of every patch that applies to that object.
import type { Resource } from './types';

interface MemoEntry {
  key: string;
  output: Resource;
}

/** Kustomization fingerprints remembered per folder (an overlay alternates between a few versions at most). */
const FINGERPRINTS_KEPT = 8;

export class TransformMemo {
  private results = new WeakMap<object, MemoEntry>();
  private fingerprints = new Map<string, number>();
  private nextToken = 0;
  /** Objects whose result was reused (for benchmarks and tests). */
  reused = 0;
  private lastToken: number | undefined;

  /** A short stand-in for a long fingerprint (the kustomization text), so per-object keys stay small. */
  tokenOf(fingerprint: string): number {
    let token = this.fingerprints.get(fingerprint);
    if (token === undefined) {
      token = this.nextToken++;
      this.fingerprints.set(fingerprint, token);
      if (this.fingerprints.size > FINGERPRINTS_KEPT) this.fingerprints.delete(this.fingerprints.keys().next().value as string);
    }
    return token;
  }

  /**
   * Whether results computed now under `token` are worth keeping: only when the kustomization is the same
   * as at the previous build. Right after the kustomization itself was edited, keeping every object's result
   * would cost a copy of each object for results that the next edit of it makes useless.
   */
  worthKeeping(token: number): boolean {
    const same = token === this.lastToken;
    this.lastToken = token;
    return same;
  }

  /** The stored result for an object of this identity under `key`; the caller must copy it before changing it. */
  get(identity: object, key: string): Resource | undefined {
    const hit = this.results.get(identity);
    if (!hit || hit.key !== key) return undefined;
    this.reused++;
    return hit.output;
  }

  /** Keeps `output` (which the caller must no longer change) as the result for `identity` under `key`. */
  set(identity: object, key: string, output: Resource): void {
    this.results.set(identity, { key, output });
  }
}
