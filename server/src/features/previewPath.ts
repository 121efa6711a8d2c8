// Which value of a printed object a line of the preview shows, read from the layout of kubectl's YAML
// alone: keys sorted at two spaces per level, `- ` items at their key's column, and a scalar that does
// not fit on one line (a block scalar, or a long string folded at 80 columns) continuing on lines
// indented deeper than the key or item that holds it. No parse: one pass over the object's lines.

export interface PreviewPath {
  path: Array<string | number>;
  on: 'key' | 'value';
}

interface Frame {
  column: number;
  segment: string | number;
  item: boolean;
}

/** Reads a key at the start of `text`: plain up to `: `/`:` at the end, or quoted. */
function readKey(text: string): { key: string; length: number } | undefined {
  if (text.startsWith('"')) {
    let i = 1;
    let key = '';
    for (; i < text.length && text[i] !== '"'; i++) {
      if (text[i] === '\\' && i + 1 < text.length) {
        key += text[i + 1];
        i++;
      } else key += text[i];
    }
    if (text[i + 1] !== ':') return undefined;
    return { key, length: i + 2 };
  }
  if (text.startsWith("'")) {
    let i = 1;
    let key = '';
    for (; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          key += "'";
          i++;
          continue;
        }
        break;
      }
      key += text[i];
    }
    if (text[i + 1] !== ':') return undefined;
    return { key, length: i + 2 };
  }
  const m = /^([^\s].*?):(?= |$)/.exec(text);
  return m ? { key: m[1], length: m[0].length } : undefined;
}

/**
 * The path under `character` of line `target` (0-based, relative to `lines`). `lines` are the object's
 * printed lines, the first at column 0. Undefined above the first key or on an unreadable line.
 */
export function pathAtLine(lines: readonly string[], target: number, character: number): PreviewPath | undefined {
  if (target < 0 || target >= lines.length) return undefined;
  const stack: Frame[] = [];
  // Column of the key or item whose scalar value may continue on deeper lines; -1 when none.
  let scalarOwner = -1;
  let continuing: PreviewPath | undefined;
  for (let l = 0; l <= target; l++) {
    const line = lines[l];
    const indent = line.length - line.trimStart().length;
    if (scalarOwner >= 0 && (line.trim() === '' || indent > scalarOwner)) {
      if (l === target) return continuing ? { path: continuing.path, on: 'value' } : undefined;
      continue;
    }
    scalarOwner = -1;
    continuing = undefined;
    let column = indent;
    let rest = line.slice(indent);
    let onKeyUntil = -1;
    for (let guard = 0; guard < 1000 && rest.startsWith('-') && (rest.length === 1 || rest[1] === ' '); guard++) {
      while (stack.length > 0 && stack[stack.length - 1].column > column) stack.pop();
      const top = stack[stack.length - 1];
      if (top && top.item && top.column === column) {
        stack.pop();
        stack.push({ column, segment: (top.segment as number) + 1, item: true });
      } else stack.push({ column, segment: 0, item: true });
      const skip = rest.length === 1 ? 1 : 2;
      column += skip;
      rest = rest.slice(skip);
    }
    let valueText = rest;
    const key = rest === '' ? undefined : readKey(rest);
    if (key) {
      while (stack.length > 0 && stack[stack.length - 1].column >= column) stack.pop();
      stack.push({ column, segment: key.key, item: false });
      onKeyUntil = column + key.length;
      valueText = rest.slice(key.length).trimStart();
    }
    const owner = stack[stack.length - 1];
    if (valueText !== '' && owner) {
      // A scalar here (plain, quoted or a block indicator) may go on over the next, deeper lines.
      scalarOwner = owner.column;
      continuing = { path: stack.map((f) => f.segment), on: 'value' };
    }
    if (l === target) {
      if (!owner) return undefined;
      return { path: stack.map((f) => f.segment), on: key && character < onKeyUntil ? 'key' : 'value' };
    }
  }
  return undefined;
}
