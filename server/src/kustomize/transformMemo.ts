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
const RECENT_TOKENS = 4;
const KEYS_PER_OBJECT = 2;

export class TransformMemo {
  /** Per object, the results under the last few keys (the real build and a rule's build without patches alternate). */
  private results = new WeakMap<object, MemoEntry[]>();
  private fingerprints = new Map<string, number>();
  private nextToken = 0;
  /** Objects whose result was reused (for benchmarks and tests). */
  reused = 0;
  /** Kustomization versions built lately, newest last (the file, an unsaved buffer, a rule's what-if copy). */
  private recentTokens: number[] = [];

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
   * Whether results computed now under `token` are worth keeping: at the folder's first build, and when this
   * version of the kustomization was built lately. Right after the kustomization itself was edited, keeping
   * every object's result would cost a copy of each object for results its next edit makes useless.
   */
  worthKeeping(token: number): boolean {
    const keep = this.recentTokens.length === 0 || this.recentTokens.includes(token);
    this.recentTokens = [...this.recentTokens.filter((t) => t !== token), token].slice(-RECENT_TOKENS);
    return keep;
  }

  /** The stored result for an object of this identity under `key`; the caller must copy it before changing it. */
  get(identity: object, key: string): Resource | undefined {
    const hit = this.results.get(identity)?.find((e) => e.key === key);
    if (!hit) return undefined;
    this.reused++;
    return hit.output;
  }

  /** Keeps `output` (which the caller must no longer change) as the result for `identity` under `key`. */
  set(identity: object, key: string, output: Resource): void {
    const others = (this.results.get(identity) ?? []).filter((e) => e.key !== key);
    this.results.set(identity, [{ key, output }, ...others].slice(0, KEYS_PER_OBJECT));
  }
}
