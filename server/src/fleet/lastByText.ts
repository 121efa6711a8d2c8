// What was last derived from a file's text, per file, for the readers that look at every file of a fleet
// again after each edit (the index's parses, the Flux graph's search for roots and Kustomizations).

/**
 * What was last derived from each file's text, reused while the file has the same text (the same string
 * object while unchanged, so the check is cheap). Rules ask for the same files on every check. Bounded by
 * the source characters it keeps alive: a repository of huge files must not stay in memory through it.
 */
export class LastByText<T> {
  private entries = new Map<string, { text: string; value: T }>();
  private chars = 0;

  constructor(private readonly maxChars = 64 * 1024 * 1024) {}

  get(file: string, text: string, derive: () => T): T {
    const hit = this.entries.get(file);
    if (hit && hit.text === text) return hit.value;
    const value = derive();
    this.chars += text.length;
    if (this.chars > this.maxChars) {
      this.entries.clear();
      this.chars = text.length;
    }
    this.entries.set(file, { text, value });
    return value;
  }

  clear(): void {
    this.entries.clear();
    this.chars = 0;
  }
}
