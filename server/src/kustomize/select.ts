// Patch targets: kustomize's Selector. Group, version, kind, name and namespace are regular
// expressions anchored at both ends; name and namespace match an object's original id (before
// prefixes, suffixes and namespace changes) or its current one; label and annotation selectors use
// the Kubernetes label-selector syntax.
import { idString, isObject, resId } from './resource';
import { isNamespaced } from './scope';
import type { Json, ResId, Resource } from './types';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export type SelectorOperator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface LabelRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** A selector with its expressions compiled once, to test many objects. */
export interface CompiledSelector {
  matches(r: Resource): boolean;
}

/** kustomize's name for a namespace that cluster-scoped objects are in, so selectors can tell them apart. */
export const NOT_A_NAMESPACE = '_non_namespaceable_';

/** The namespace kustomize compares: `default` for an empty one, a sentinel for cluster-scoped kinds. */
export function effectiveNamespace(id: ResId): string {
  if (!isNamespaced(id)) return NOT_A_NAMESPACE;
  return id.namespace === '' ? 'default' : id.namespace;
}

/** The id an object had when it was first read: kustomize's OrgId. */
export function originalId(r: Resource): ResId {
  return r.previousIds.length > 0 ? r.previousIds[0] : resId(r);
}

/** Compiles a selector; `error` reads like kustomize's message when it is malformed. */
export function compileSelector(sel: Selector): { selector?: CompiledSelector; error?: string } {
  const regexes: Partial<Record<'group' | 'version' | 'kind' | 'name' | 'namespace', RegExp>> = {};
  for (const field of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const pattern = sel[field];
    if (pattern === undefined || pattern === '') continue;
    const compiled = anchoredRegex(pattern);
    if ('error' in compiled) return { error: compiled.error };
    regexes[field] = compiled.regex;
  }
  const labels = parseLabelSelector(sel.labelSelector ?? '');
  if (labels.error !== undefined) return { error: labels.error };
  const annotations = parseLabelSelector(sel.annotationSelector ?? '');
  if (annotations.error !== undefined) return { error: annotations.error };
  const labelReqs = labels.requirements ?? [];
  const annotationReqs = annotations.requirements ?? [];
  const test = (re: RegExp | undefined, value: string) => re === undefined || re.test(value);

  return {
    selector: {
      matches(r: Resource): boolean {
        const current = resId(r);
        const original = originalId(r);
        if (!test(regexes.namespace, effectiveNamespace(original)) && !test(regexes.namespace, effectiveNamespace(current))) return false;
        if (!test(regexes.name, original.name) && !test(regexes.name, current.name)) return false;
        // Group, version and kind are matched on the current id only, as kustomize does.
        if (!test(regexes.group, current.group) || !test(regexes.version, current.version) || !test(regexes.kind, current.kind))
          return false;
        const meta = isObject(r.object.metadata) ? r.object.metadata : {};
        return requirementsMatch(labelReqs, stringMap(meta.labels)) && requirementsMatch(annotationReqs, stringMap(meta.annotations));
      },
    },
  };
}

/** Whether `sel` selects `r`. A malformed selector selects nothing (compileSelector reports why). */
export function selectorMatches(sel: Selector, r: Resource): boolean {
  const { selector } = compileSelector(sel);
  return selector ? selector.matches(r) : false;
}

/** The resources `sel` selects, in order, or kustomize's error for a malformed selector. */
export function selectResources(resources: readonly Resource[], sel: Selector): { selected: Resource[]; error?: string } {
  const { selector, error } = compileSelector(sel);
  if (!selector) return { selected: [], error };
  return { selected: resources.filter((r) => selector.matches(r)) };
}

function stringMap(value: Json | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!isObject(value)) return out;
  for (const [k, v] of Object.entries(value)) out.set(k, v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
  return out;
}

/**
 * Go's RE2 syntax anchored like kustomize (`^(?:p)$`). JavaScript lacks RE2's inline flag groups,
 * so a leading `(?i)` / `(?s)` / `(?m)` becomes a RegExp flag; other RE2-only syntax is an error.
 */
function anchoredRegex(pattern: string): { regex: RegExp } | { error: string } {
  let body = pattern;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline) {
    flags = Array.from(new Set(inline[1].split(''))).join('');
    body = body.slice(inline[0].length);
  }
  const anchored = `^(?:${body})$`;
  if (nestedRepetition.test(body)) {
    return {
      error: `error parsing regexp: nested repetition is not supported here (it can take exponential time in JavaScript): \`^(?:${pattern})$\``,
    };
  }
  try {
    return { regex: new RegExp(anchored, flags) };
  } catch (e) {
    return { error: `error parsing regexp: ${goRegexpError(e instanceof Error ? e.message : String(e))}: \`^(?:${pattern})$\`` };
  }
}

/**
 * A quantified group that itself contains a quantifier, like `(a+)+`: RE2 matches it in linear time,
 * a backtracking engine may not, and a hostile kustomization must not hang the editor.
 */
const nestedRepetition = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;

/** Go's words for the common syntax errors, so messages read like kustomize's. */
function goRegexpError(jsMessage: string): string {
  const why = jsMessage.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
  if (/Unterminated group/.test(why)) return 'missing closing )';
  if (/Unmatched '\)'/.test(why)) return 'unexpected )';
  if (/Unterminated character class/.test(why)) return 'missing closing ]';
  if (/Nothing to repeat/.test(why)) return 'missing argument to repetition operator';
  return why;
}

/** kustomize's Selector.String(), which its messages quote. */
export function selectorString(sel: Selector): string {
  const id = idString({
    group: sel.group ?? '',
    version: sel.version ?? '',
    kind: sel.kind ?? '',
    name: sel.name ?? '',
    namespace: sel.namespace ?? '',
  });
  return `${id}:a=${sel.annotationSelector ?? ''}:l=${sel.labelSelector ?? ''}`;
}

// ---- Kubernetes label selectors (k8s.io/apimachinery/pkg/labels) ----

type TokenKind = 'end' | 'identifier' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin';

interface Token {
  kind: TokenKind;
  text: string;
}

const specialTokens: ReadonlyArray<TokenKind> = ['!=', '==', '=', '!', '(', ')', ',', '>', '<'];
const specialChars = new Set(['=', '!', '(', ')', ',', '>', '<']);

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  // Bounded by the input: every iteration consumes at least one character.
  while (i < input.length) {
    const c = input[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (specialChars.has(c)) {
      const two = input.slice(i, i + 2);
      const kind = specialTokens.find((t) => t === two) ?? specialTokens.find((t) => t === c)!;
      tokens.push({ kind, text: kind });
      i += kind.length;
      continue;
    }
    let j = i;
    while (j < input.length && !/\s/.test(input[j]) && !specialChars.has(input[j])) j++;
    const text = input.slice(i, j);
    tokens.push({ kind: text === 'in' ? 'in' : text === 'notin' ? 'notin' : 'identifier', text });
    i = j;
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

class LabelSelectorParser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  /** In value position the keywords `in` and `notin` are plain identifiers. */
  private lookahead(asValue: boolean): Token {
    return this.asContext(this.tokens[Math.min(this.position, this.tokens.length - 1)], asValue);
  }

  private consume(asValue: boolean): Token {
    const t = this.lookahead(asValue);
    if (this.position < this.tokens.length - 1) this.position++;
    return t;
  }

  private asContext(t: Token, asValue: boolean): Token {
    return asValue && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'identifier', text: t.text } : t;
  }

  parse(): LabelRequirement[] {
    const out: LabelRequirement[] = [];
    // Each pass consumes a requirement and its separator; the token list is finite.
    while (true) {
      const t = this.lookahead(true);
      if (t.kind === 'end') return out;
      if (t.kind !== 'identifier' && t.kind !== '!') throw new Error(`found '${t.text}', expected: !, identifier, or 'end of string'`);
      try {
        out.push(this.parseRequirement());
      } catch (e) {
        throw new Error(`unable to parse requirement: ${(e as Error).message}`);
      }
      const sep = this.consume(true);
      if (sep.kind === 'end') return out;
      if (sep.kind !== ',') throw new Error(`found '${sep.text}', expected: ',' or 'end of string'`);
      const next = this.lookahead(true);
      if (next.kind !== 'identifier' && next.kind !== '!') throw new Error(`found '${next.text}', expected: identifier after ','`);
    }
  }

  private parseRequirement(): LabelRequirement {
    let t = this.consume(true);
    let operator: SelectorOperator | undefined;
    if (t.kind === '!') {
      operator = '!';
      t = this.consume(true);
    }
    if (t.kind !== 'identifier') throw new Error(`found '${t.text}', expected: identifier`);
    const key = t.text;
    validateLabelKey(key);
    const next = this.lookahead(true);
    if (operator === '!') return { key, operator, values: [] };
    if (next.kind === 'end' || next.kind === ',') return { key, operator: 'exists', values: [] };

    const op = this.consume(false);
    const operators: Partial<Record<TokenKind, SelectorOperator>> = {
      in: 'in',
      notin: 'notin',
      '=': '=',
      '==': '==',
      '!=': '!=',
      '>': 'gt',
      '<': 'lt',
    };
    operator = operators[op.kind];
    if (!operator) throw new Error(`found '${op.text}', expected: in, notin, =, ==, !=, gt, lt`);
    const values = operator === 'in' || operator === 'notin' ? this.parseValueSet() : [this.parseExactValue()];
    for (const v of values) validateLabelValue(key, v);
    if ((operator === 'gt' || operator === 'lt') && !/^[+-]?\d+$/.test(values[0])) {
      throw new Error(`for 'Gt', 'Lt' operators, the value must be an integer`);
    }
    return { key, operator, values };
  }

  private parseValueSet(): string[] {
    const open = this.consume(true);
    if (open.kind !== '(') throw new Error(`found '${open.text}' expected: '('`);
    const t = this.lookahead(true);
    if (t.kind === ')') {
      this.consume(true);
      return [''];
    }
    if (t.kind !== 'identifier' && t.kind !== ',') throw new Error(`found '${t.text}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    while (true) {
      const v = this.consume(true);
      if (v.kind === 'identifier') {
        values.add(v.text);
        const after = this.lookahead(true);
        if (after.kind === ',') continue;
        if (after.kind === ')') break;
        throw new Error(`found '${after.text}', expected: ',' or ')'`);
      } else if (v.kind === ',') {
        if (values.size === 0) values.add('');
        const after = this.lookahead(true);
        if (after.kind === ')') {
          values.add('');
          break;
        }
        if (after.kind === ',') {
          this.consume(true);
          values.add('');
        }
      } else {
        throw new Error(`found '${v.text}', expected: ',', or identifier`);
      }
    }
    const close = this.consume(true);
    if (close.kind !== ')') throw new Error(`found '${close.text}', expected: ')'`);
    return Array.from(values);
  }

  private parseExactValue(): string {
    const t = this.lookahead(true);
    if (t.kind === 'end' || t.kind === ',') return '';
    const v = this.consume(true);
    if (v.kind === 'identifier') return v.text;
    throw new Error(`found '${v.text}', expected: identifier`);
  }
}

const qualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const dnsSubdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const nameHint =
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function validateLabelKey(key: string): void {
  const parts = key.split('/');
  const fail = (why: string) => {
    throw new Error(`invalid label key "${key}": ${why}`);
  };
  if (parts.length > 2) fail(`a qualified name ${nameHint} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`);
  const name = parts[parts.length - 1];
  if (parts.length === 2) {
    const prefix = parts[0];
    if (prefix.length === 0) fail('prefix part must be non-empty');
    else if (prefix.length > 253 || !dnsSubdomain.test(prefix))
      fail(
        `prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
      );
  }
  if (name.length === 0) fail('name part must be non-empty');
  else if (name.length > 63) fail('name part must be no more than 63 characters');
  else if (!qualifiedNamePart.test(name)) fail(`name part ${nameHint}`);
}

function validateLabelValue(key: string, value: string): void {
  if (value === '') return;
  if (value.length > 63) throw new Error(`invalid label value: "${value}": at key: "${key}": must be no more than 63 characters`);
  if (!qualifiedNamePart.test(value)) {
    throw new Error(
      `invalid label value: "${value}": at key: "${key}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
}

/** Parses a Kubernetes label selector (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`, `a>1`, `a<1`). */
export function parseLabelSelector(s: string): { requirements?: LabelRequirement[]; error?: string } {
  try {
    return { requirements: new LabelSelectorParser(tokenize(s)).parse() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

export function requirementMatches(req: LabelRequirement, labels: ReadonlyMap<string, string>): boolean {
  const has = labels.has(req.key);
  const value = labels.get(req.key) ?? '';
  switch (req.operator) {
    case 'in':
    case '=':
    case '==':
      return has && req.values.includes(value);
    case 'notin':
    case '!=':
      return !has || !req.values.includes(value);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      // Non-integer label values never match, as in Kubernetes.
      if (!has || !/^[+-]?\d+$/.test(value)) return false;
      const actual = BigInt(value);
      const bound = BigInt(req.values[0]);
      return req.operator === 'gt' ? actual > bound : actual < bound;
    }
  }
}

export function requirementsMatch(reqs: readonly LabelRequirement[], labels: ReadonlyMap<string, string>): boolean {
  return reqs.every((r) => requirementMatches(r, labels));
}
