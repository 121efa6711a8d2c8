// Helm's `--set` language (helm.sh/helm/v4 pkg/strvals, parser.go), which helm-controller uses to put a
// `valuesFrom` entry with a `targetPath` into the values (fluxcd/pkg chartutil/values.go, ReplacePathValue):
// it parses the line `<targetPath>=<value>` into the values, in place. Its quirks are kept because they decide
// what the release gets: `a.b[0].c` paths, `\` escaping the next character, a value beginning with `{` read as
// a list, a `,` starting the next assignment, `true`/`false`/`null` and base-10 integers typed unless the
// value is forced to a string, list indexes up to 65536 padded with nulls, names nested at most 30 deep. Where
// helm panics on a type mismatch (indexing into a map, descending into a string), the error says so as helm's
// recovered panic does.
import type { Json, JsonObject } from '../kustomize/types';

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

export type StrvalsOutcome = { ok: true } | { ok: false; error: string };

class Eof extends Error {}

class Scanner {
  private pos = 0;
  constructor(private readonly runes: string[]) {}
  read(): string | undefined {
    return this.pos < this.runes.length ? this.runes[this.pos++] : undefined;
  }
  unread(): void {
    this.pos--;
  }
}

interface Until {
  text: string;
  last: string | undefined;
}

/** Reads up to a stop character (consumed); `\x` stands for x. `last` is undefined at the end of the input. */
function runesUntil(scanner: Scanner, stop: string): Until {
  let text = '';
  for (;;) {
    const r = scanner.read();
    if (r === undefined) return { text, last: undefined };
    if (stop.includes(r)) return { text, last: r };
    if (r === '\\') {
      const next = scanner.read();
      if (next === undefined) return { text, last: undefined };
      text += next;
    } else text += r;
  }
}

function isMap(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function goType(value: Json | undefined): string {
  if (value === null || value === undefined) return 'nil';
  if (Array.isArray(value)) return '[]interface {}';
  if (isMap(value)) return 'map[string]interface {}';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  return Number.isInteger(value) || typeof value === 'bigint' ? 'int64' : 'float64';
}

/** Helm's recovered panic for a value of the wrong type on the path. */
class WrongType extends Error {
  constructor(value: Json | undefined, wanted: string) {
    super(`interface conversion: interface {} is ${goType(value)}, not ${wanted}`);
  }
}

/** typedVal: the value's type as `--set` reads it (`--set-string` keeps the text). */
export function typedValue(text: string, asString: boolean): Json {
  if (asString) return text;
  const lower = text.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (text === '0') return 0;
  if (text.length > 0 && text[0] !== '0' && /^[+-]?[0-9]+$/.test(text)) {
    const big = BigInt(text);
    if (big >= -(1n << 63n) && big < 1n << 63n) {
      return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
    }
  }
  return text;
}

class Parser {
  constructor(
    private readonly scanner: Scanner,
    private readonly asString: boolean,
  ) {}

  parse(data: JsonObject): void {
    for (;;) {
      try {
        this.key(data, 0);
      } catch (e) {
        if (e instanceof Eof) return;
        throw e;
      }
    }
  }

  private key(data: JsonObject, level: number): void {
    try {
      this.keyUnguarded(data, level);
    } catch (e) {
      if (e instanceof WrongType) throw new Error(`unable to parse key: ${e.message}`);
      throw e;
    }
  }

  private keyUnguarded(data: JsonObject, level: number): void {
    const { text: k, last } = runesUntil(this.scanner, '=[,.');
    if (last === undefined) {
      if (k.length === 0) throw new Eof();
      throw new Error(`key "${k}" has no value`);
    }
    if (last === '[') {
      let index: number;
      try {
        index = this.keyIndex();
      } catch (e) {
        throw new Error(`error parsing index: ${(e as Error).message}`);
      }
      let list: Json[] = [];
      if (Object.prototype.hasOwnProperty.call(data, k)) {
        const existing = data[k];
        if (!Array.isArray(existing)) throw new WrongType(existing, '[]interface {}');
        list = existing;
      }
      const item = this.listItem(list, index, level);
      set(data, k, item.list);
      if (item.error) throw item.error;
      return;
    }
    if (last === '=') {
      const values = this.valList();
      if (values.kind === 'list') {
        set(data, k, values.list);
        return;
      }
      if (values.kind === 'eof') {
        set(data, k, '');
        throw new Eof();
      }
      set(data, k, typedValue(this.val(), this.asString));
      return;
    }
    if (last === ',') {
      set(data, k, '');
      throw new Error(`key "${k}" has no value (cannot end with ,)`);
    }
    // last === '.'
    level++;
    if (level > MAX_NESTED_NAME_LEVEL) {
      throw new Error(`value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`);
    }
    let inner: JsonObject = {};
    if (Object.prototype.hasOwnProperty.call(data, k)) {
      const existing = data[k];
      if (!isMap(existing)) throw new WrongType(existing, 'map[string]interface {}');
      inner = existing;
    }
    let failure: unknown;
    try {
      this.key(inner, level);
    } catch (e) {
      failure = e;
    }
    if (failure === undefined && Object.keys(inner).length === 0) throw new Error(`key map "${k}" has no value`);
    if (Object.keys(inner).length !== 0) set(data, k, inner);
    if (failure !== undefined) throw failure;
  }

  private keyIndex(): number {
    const { text, last } = runesUntil(this.scanner, ']');
    if (last === undefined) throw new Error('EOF');
    if (!/^[+-]?[0-9]+$/.test(text)) throw new Error(`strconv.Atoi: parsing ${JSON.stringify(text)}: invalid syntax`);
    return Number(text);
  }

  /** The list after setting item `i` from what follows `]`; an error leaves the list as far as it got. */
  private listItem(list: Json[], i: number, level: number): { list: Json[]; error?: Error } {
    if (i < 0) return { list, error: new Error(`negative ${i} index not allowed`) };
    const { text, last } = runesUntil(this.scanner, '[.=');
    if (text.length > 0) return { list, error: new Error(`unexpected data at end of array index: ${JSON.stringify(text)}`) };
    if (last === undefined) return { list, error: new Eof() };
    if (last === '=') {
      const values = this.valList();
      if (values.kind === 'list') return setIndex(list, i, values.list);
      if (values.kind === 'eof') return setIndex(list, i, '');
      return setIndex(list, i, typedValue(this.val(), this.asString));
    }
    if (last === '[') {
      let next: number;
      try {
        next = this.keyIndex();
      } catch (e) {
        return { list, error: new Error(`error parsing index: ${(e as Error).message}`) };
      }
      let current: Json[] = [];
      if (list.length > i && list[i] !== null) {
        const existing = list[i];
        if (!Array.isArray(existing)) throw new WrongType(existing, '[]interface {}');
        current = existing;
      }
      const inner = this.listItem(current, next, level);
      if (inner.error) return { list, error: inner.error };
      return setIndex(list, i, inner.list);
    }
    // last === '.'
    let inner: JsonObject = {};
    if (list.length > i) {
      const existing = list[i];
      if (isMap(existing)) inner = existing;
      else list[i] = inner; // indexes out of order: helm starts the item afresh
    }
    this.key(inner, level);
    return setIndex(list, i, inner);
  }

  private val(): string {
    return runesUntil(this.scanner, ',').text;
  }

  private valList(): { kind: 'list'; list: Json[] } | { kind: 'eof' } | { kind: 'not-a-list' } {
    const r = this.scanner.read();
    if (r === undefined) return { kind: 'eof' };
    if (r !== '{') {
      this.scanner.unread();
      return { kind: 'not-a-list' };
    }
    const list: Json[] = [];
    for (;;) {
      const { text, last } = runesUntil(this.scanner, ',}');
      if (last === undefined) throw new Error("list must terminate with '}'");
      list.push(typedValue(text, this.asString));
      if (last === '}') {
        const after = this.scanner.read();
        if (after !== undefined && after !== ',') this.scanner.unread();
        return { kind: 'list', list };
      }
    }
  }
}

function set(data: JsonObject, key: string, value: Json): void {
  if (key.length === 0) return;
  data[key] = value;
}

function setIndex(list: Json[], index: number, value: Json): { list: Json[]; error?: Error } {
  if (index < 0) return { list, error: new Error(`negative ${index} index not allowed`) };
  if (index > MAX_INDEX) return { list, error: new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`) };
  let target = list;
  if (list.length <= index) {
    target = list.slice();
    while (target.length <= index) target.push(null);
  }
  target[index] = value;
  return { list: target };
}

/**
 * strvals.ParseInto / ParseIntoString: parses `line` into `dest`, in place (maps and lists already in `dest`
 * are changed, not copied, as in helm). On an error, what was set before it stays set.
 */
export function parseSetInto(line: string, dest: JsonObject, asString: boolean): StrvalsOutcome {
  try {
    new Parser(new Scanner([...line]), asString).parse(dest);
    return { ok: true };
  } catch (e) {
    if (e instanceof Eof) return { ok: true };
    return { ok: false, error: (e as Error).message };
  }
}

/** Whether a `targetPath` is one helm can set: parsed with a placeholder, it must set exactly that one value. */
export function checkTargetPath(targetPath: string): StrvalsOutcome {
  if (targetPath.length === 0) return { ok: false, error: 'the path is empty' };
  const probe: JsonObject = {};
  const parsed = parseSetInto(`${targetPath}=\u0000`, probe, true);
  if (!parsed.ok) return parsed;
  const leaves = leavesOf(probe);
  if (leaves.length === 1 && leaves[0] === '\u0000') return { ok: true };
  return { ok: false, error: 'an unescaped "," or "=" in the path starts another assignment (escape it with \\)' };
}

function leavesOf(value: Json): Json[] {
  if (Array.isArray(value)) return value.flatMap((v) => (v === null ? [] : leavesOf(v)));
  if (isMap(value)) return Object.values(value).flatMap(leavesOf);
  return [value];
}
