// Test harness for rules: a fleet written to a temp folder, indexed, checked by one rule; fixes applied
// to the text and the fleet checked again.
// New rule tests: test/ruleTester.ts (cases as a table, the fleet in memory). This one is for tests that
// need the fleet on disk (kubectl comparisons in test/differential, tests that drive the index by hand).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { applyTextEdits } from '../../../server/src/kustomize/yaml/edit';
import type { Fix, Rule, TextEdit } from '../../../server/src/rules/rule';
import { runRules, type Diagnostic } from '../../../server/src/rules/run';

export interface Fleet {
  root: string;
  index: FleetIndex;
  /** Relative path -> current text. */
  read(rel: string): string;
  check(rule: Rule): Diagnostic[];
  /** Applies a fix's edits to the files on disk and tells the index. */
  apply(fix: Fix): void;
  dispose(): void;
}

export function makeFleet(files: Record<string, string>): Fleet {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-rule-')));
  fs.mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    const f = path.join(root, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  }
  const index = new FleetIndex(root);
  index.scan();
  return {
    root,
    index,
    read: (rel) => fs.readFileSync(path.join(root, rel), 'utf8'),
    check: (rule) => runRules(index, { rules: [rule] }).diagnostics,
    apply: (fix) => {
      const byFile = new Map<string, TextEdit[]>();
      for (const e of fix.edits) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
      for (const [file, edits] of byFile) {
        const existed = fs.existsSync(file);
        const text = existed ? fs.readFileSync(file, 'utf8') : '';
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, applyTextEdits(text, edits));
        if (existed) index.diskChanged(file);
        else index.diskCreated(file);
      }
    },
    dispose: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}
