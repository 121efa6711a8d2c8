// A unified diff of two texts, line by line (Myers' O(ND) algorithm), for showing what changed in a
// rendered object. Bounded: past `maxEdits` differing lines the two texts are shown as one replacement,
// so a hostile pair of huge texts costs linear time, not quadratic.

export interface UnifiedDiffOptions {
  /** Unchanged lines shown around each change. */
  context?: number;
  /** Beyond this many differing lines, give up on alignment and replace the whole text. */
  maxEdits?: number;
}

type Edit = { op: ' ' | '-' | '+'; line: string };

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** The edit script turning `a` into `b`, or undefined when it needs more than `maxEdits` edits. */
function myers(a: string[], b: string[], maxEdits: number): Edit[] | undefined {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, a, b, d, k, offset);
    }
  }
  return undefined;
}

function backtrack(trace: Int32Array[], a: string[], b: string[], lastD: number, lastK: number, offset: number): Edit[] {
  const edits: Edit[] = [];
  let x = a.length;
  let y = b.length;
  let k = lastK;
  for (let d = lastD; d > 0; d--) {
    const v = trace[d];
    const down = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[offset + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      edits.push({ op: ' ', line: a[--x] });
      y--;
    }
    if (down) edits.push({ op: '+', line: b[--y] });
    else edits.push({ op: '-', line: a[--x] });
    k = prevK;
  }
  while (x > 0 && y > 0) {
    edits.push({ op: ' ', line: a[--x] });
    y--;
  }
  return edits.reverse();
}

/**
 * The hunks (`@@ -l,s +l,s @@` and their lines) turning `before` into `after`, without file headers;
 * empty when the texts are equal.
 */
export function unifiedDiff(before: string, after: string, options: UnifiedDiffOptions = {}): string {
  if (before === after) return '';
  const context = options.context ?? 3;
  const a = splitLines(before);
  const b = splitLines(after);
  // Common head and tail first: an object's diff is usually a few lines in the middle.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const middle =
    myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail), options.maxEdits ?? 2000) ??
    ([
      ...a.slice(head, a.length - tail).map((line) => ({ op: '-', line })),
      ...b.slice(head, b.length - tail).map((line) => ({ op: '+', line })),
    ] as Edit[]);
  const edits: Edit[] = [
    ...a.slice(0, head).map((line): Edit => ({ op: ' ', line })),
    ...middle,
    ...a.slice(a.length - tail).map((line): Edit => ({ op: ' ', line })),
  ];
  return hunks(edits, context);
}

function hunks(edits: Edit[], context: number): string {
  const out: string[] = [];
  let i = 0;
  // Line numbers (1-based) in a and b before edit i.
  const aLine: number[] = [];
  const bLine: number[] = [];
  let la = 1;
  let lb = 1;
  for (const e of edits) {
    aLine.push(la);
    bLine.push(lb);
    if (e.op !== '+') la++;
    if (e.op !== '-') lb++;
  }
  while (i < edits.length) {
    while (i < edits.length && edits[i].op === ' ') i++;
    if (i >= edits.length) break;
    const start = Math.max(0, i - context);
    let end = i;
    // Extend while the next change is within 2 × context unchanged lines.
    for (;;) {
      while (end < edits.length && edits[end].op !== ' ') end++;
      let gap = end;
      while (gap < edits.length && edits[gap].op === ' ') gap++;
      if (gap < edits.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const stop = Math.min(edits.length, end + context);
    const slice = edits.slice(start, stop);
    const aCount = slice.filter((e) => e.op !== '+').length;
    const bCount = slice.filter((e) => e.op !== '-').length;
    const aStart = aCount === 0 ? aLine[start] - 1 : aLine[start];
    const bStart = bCount === 0 ? bLine[start] - 1 : bLine[start];
    out.push(`@@ -${aStart},${aCount} +${bStart},${bCount} @@`);
    for (const e of slice) out.push(e.op + e.line);
    i = stop;
  }
  return out.length === 0 ? '' : out.join('\n') + '\n';
}
