// The way to test a rule: a table of cases, in the manner of ESLint's RuleTester.
//
//   import { ruleTester } from '../../ruleTester';
//   import { waitMissing } from '../../../server/src/rules/wait-missing';
//
//   ruleTester.run(waitMissing, {
//     valid: [
//       { name: 'wait: true', files: { 'clusters/prod/infra.yaml': ks('infra', '  wait: true\n') } },
//     ],
//     invalid: [
//       {
//         name: 'wait: false is flipped',
//         files: { 'clusters/prod/infra.yaml': ks('infra', '  wait: false\n') },
//         errors: [{ file: 'clusters/prod/infra.yaml', line: 13, message: /sets wait: false/, severity: 'info' }],
//         output: { 'clusters/prod/infra.yaml': ks('infra', '  wait: true\n') },
//       },
//     ],
//   });
//
// Each case is one mocha test (`describe(rule.id)` around them) over a fleet held in memory: `files` are
// paths relative to the repository root and their text, nothing touches the disk. Only the rule under test
// runs. A valid case must give no finding at all. An invalid case must give exactly the `errors` listed, in
// the order the rule reports them (no extra, none missing): the file, the 1-based line of the range's start
// (the line an editor shows), the message (the whole text, a RegExp, or several it must all match) and,
// when given, the 1-based column, the severity, the exact 0-based range and the first fix's title. Then:
//   - `output`: the first fix (or the `fix`-th) of every finding is applied (all edits, in one go per file), each listed file
//     must then read exactly as given (or match a RegExp), and the rule must find nothing more (or exactly
//     `errorsAfterFix`). Files not listed are not checked; a fix may create files.
//   - `output: null`: no finding offers a fix.
//   - neither: fixes are not looked at.
// `setup(fleet)` runs before the check for what a table cannot say (an open editor buffer, settings), and
// `verify(diagnostics, fleet)` after it for the rare assertion the fields above do not cover.
//
// New rule tests use this. test/unit/rules/harness.ts (a fleet on disk) stays for the tests that need a
// real folder: the seed fleet copied as is, kubectl comparisons in test/differential.
import * as assert from 'assert';
import * as path from 'path';
import { FleetIndex, type FleetSettings } from '../server/src/fleet/fleetIndex';
import { memoryFileSystem } from '../server/src/kustomize/fs';
import type { Range } from '../server/src/kustomize/types';
import { applyTextEdits } from '../server/src/kustomize/yaml/edit';
import type { Rule, Severity, TextEdit } from '../server/src/rules/rule';
import { runRules, type Diagnostic } from '../server/src/rules/run';

/** Where every test fleet lives (a path no disk is asked about). */
export const ROOT = '/repo';

export interface ExpectedFinding {
  /** Relative to the repository root. */
  file: string;
  /** 1-based, the start of the finding's range. */
  line: number;
  /** 1-based, the start of the finding's range. */
  column?: number;
  /** The whole message, or patterns it must all match. */
  message: string | RegExp | RegExp[];
  severity?: Severity;
  /** The exact range, 0-based as in LSP, when the span matters. */
  range?: Range;
  /** The title of the first fix. */
  fixTitle?: string;
}

export interface ValidCase {
  name: string;
  files: Record<string, string>;
  settings?: FleetSettings;
  setup?: (fleet: MemoryFleet) => void;
  verify?: (found: Diagnostic[], fleet: MemoryFleet) => void;
  only?: boolean;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedFinding[];
  /** File texts after the first fix of each finding; null: no finding offers a fix. */
  output?: Record<string, string | RegExp> | null;
  /** Which fix of each finding `output` applies (default 0, the first). */
  fix?: number;
  /** What the rule finds once the fixes are applied (default: nothing). */
  errorsAfterFix?: ExpectedFinding[];
}

export interface MemoryFleet {
  root: string;
  index: FleetIndex;
  /** Absolute path of a file of the fleet. */
  path(rel: string): string;
  read(rel: string): string | undefined;
  write(rel: string, text: string): void;
  check(rule: Rule): Diagnostic[];
  /** Applies edits (of one or several fixes) to the texts, as an editor applies a workspace edit. */
  apply(edits: TextEdit[]): void;
}

/** A fleet held in memory, indexed as the language server indexes open buffers. */
export function memoryFleet(files: Record<string, string>, settings: FleetSettings = {}): MemoryFleet {
  const abs = (rel: string) => path.posix.join(ROOT, rel);
  const texts: Record<string, string> = {};
  for (const [rel, text] of Object.entries(files)) texts[abs(rel)] = text;
  const index = new FleetIndex(ROOT, settings, memoryFileSystem(texts));
  for (const [file, text] of Object.entries(texts)) index.setBuffer(file, text);
  const fleet: MemoryFleet = {
    root: ROOT,
    index,
    path: abs,
    read: (rel) => index.text(abs(rel)),
    write: (rel, text) => index.setBuffer(abs(rel), text),
    check: (rule) => runRules(index, { rules: [rule] }).diagnostics,
    apply: (edits) => {
      const byFile = new Map<string, TextEdit[]>();
      for (const e of edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      for (const [file, fileEdits] of byFile) index.setBuffer(file, applyTextEdits(index.text(file) ?? '', fileEdits));
    },
  };
  return fleet;
}

const rel = (file: string) => (file.startsWith(ROOT + '/') ? file.slice(ROOT.length + 1) : file);

/** One line per finding, for assertion messages that show everything that was found. */
export function describeFindings(found: Diagnostic[]): string {
  return found.length === 0
    ? '(none)'
    : found.map((d) => `  ${rel(d.file)}:${d.range.start.line + 1}: ${d.severity}: ${d.message}`).join('\n');
}

function assertFindings(found: Diagnostic[], expected: ExpectedFinding[], when: string): void {
  const all = `${when}, the rule found:\n${describeFindings(found)}`;
  assert.strictEqual(found.length, expected.length, `expected ${expected.length} finding(s); ${all}`);
  expected.forEach((want, i) => {
    const got = found[i];
    const which = `finding ${i + 1} (${rel(got.file)}:${got.range.start.line + 1}); ${all}`;
    assert.strictEqual(rel(got.file), want.file, `file of ${which}`);
    assert.strictEqual(got.range.start.line + 1, want.line, `line of ${which}`);
    if (typeof want.message === 'string') assert.strictEqual(got.message, want.message, `message of ${which}`);
    else for (const re of [want.message].flat()) assert.match(got.message, re, `message of ${which}`);
    if (want.column !== undefined) assert.strictEqual(got.range.start.character + 1, want.column, `column of ${which}`);
    if (want.severity !== undefined) assert.strictEqual(got.severity, want.severity, `severity of ${which}`);
    if (want.range !== undefined) assert.deepStrictEqual(got.range, want.range, `range of ${which}`);
    if (want.fixTitle !== undefined) assert.strictEqual(got.fixes?.[0]?.title, want.fixTitle, `fix title of ${which}`);
  });
}

/** Runs one case; throws (an AssertionError) when the rule does not do what the case says. */
export function checkCase(rule: Rule, c: ValidCase | InvalidCase, invalid: boolean): void {
  const fleet = memoryFleet(c.files, c.settings);
  c.setup?.(fleet);
  const found = fleet.check(rule);
  if (!invalid) {
    assert.deepStrictEqual(found.length, 0, `expected no finding, the rule found:\n${describeFindings(found)}`);
    c.verify?.(found, fleet);
    return;
  }
  const ic = c as InvalidCase;
  assertFindings(found, ic.errors, 'on the files given');
  c.verify?.(found, fleet);
  if (ic.output === null) {
    const fixable = found.filter((d) => d.fixes?.length);
    assert.deepStrictEqual(fixable.length, 0, `expected no fix, these offer one:\n${describeFindings(fixable)}`);
  } else if (ic.output !== undefined) {
    const edits: TextEdit[] = [];
    const n = ic.fix ?? 0;
    for (const d of found) {
      const fix = d.fixes?.[n];
      assert.ok(fix, `expected fix ${n + 1} on ${rel(d.file)}:${d.range.start.line + 1}: ${d.message}`);
      edits.push(...fix.edits);
    }
    fleet.apply(edits);
    for (const [file, want] of Object.entries(ic.output)) {
      const text = fleet.read(file);
      assert.ok(text !== undefined, `${file} does not exist after the fix`);
      if (typeof want === 'string') assert.strictEqual(text, want, `${file} after the fix`);
      else assert.match(text, want, `${file} after the fix`);
    }
    assertFindings(fleet.check(rule), ic.errorsAfterFix ?? [], 'after the fix');
  }
}

export const ruleTester = {
  run(rule: Rule, cases: { valid?: ValidCase[]; invalid?: InvalidCase[] }): void {
    describe(`rule ${rule.id}`, () => {
      for (const c of cases.valid ?? []) (c.only ? it.only : it)(`valid: ${c.name}`, () => checkCase(rule, c, false));
      for (const c of cases.invalid ?? []) (c.only ? it.only : it)(`invalid: ${c.name}`, () => checkCase(rule, c, true));
    });
  },
};
