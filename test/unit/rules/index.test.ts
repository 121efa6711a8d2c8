import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { allRules } from '../../../server/src/rules/run';

const docsDir = path.resolve(__dirname, '../../../docs/rules');

describe('rule catalogue', () => {
  const rules = allRules();

  it('gives every rule a unique kebab-case id, a severity and a description', () => {
    const ids = rules.map((r) => r.id);
    assert.deepStrictEqual(
      ids.filter((id, i) => ids.indexOf(id) !== i),
      [],
      'duplicate ids',
    );
    for (const r of rules) {
      assert.match(r.id, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/, r.id);
      assert.ok(['error', 'warning', 'info', 'hint'].includes(r.severity), r.id);
      assert.ok(r.description.length > 20, `${r.id} needs a description`);
    }
  });

  it('has a docs page for every rule (the diagnostic code links to it) and no page without a rule', () => {
    const pages = fs
      .readdirSync(docsDir)
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .map((f) => f.slice(0, -3));
    const ids = rules.map((r) => r.id);
    assert.deepStrictEqual(
      ids.filter((id) => !pages.includes(id)),
      [],
      'rules without a page',
    );
    assert.deepStrictEqual(
      pages.filter((p) => !ids.includes(p)),
      [],
      'pages without a rule',
    );
    for (const id of ids) {
      const text = fs.readFileSync(path.join(docsDir, `${id}.md`), 'utf8');
      assert.match(text, new RegExp(`^# ${id}\\n`), `${id}.md starts with its id`);
    }
  });
});

describe('rule catalogue index', () => {
  it('lists every rule in docs/rules/README.md', () => {
    const index = fs.readFileSync(path.join(docsDir, 'README.md'), 'utf8');
    for (const r of allRules()) assert.ok(index.includes(`[${r.id}](${r.id}.md)`), `${r.id} is missing from docs/rules/README.md`);
  });

  it('gives each rule the default severity the code has, and a reason for it', () => {
    const index = fs.readFileSync(path.join(docsDir, 'README.md'), 'utf8');
    for (const r of allRules()) {
      const row = index.split('\n').find((l) => l.startsWith(`| [${r.id}](${r.id}.md) |`));
      const cells = row?.split(' | ').map((c) => c.trim());
      assert.strictEqual(cells?.[1], r.severity, `${r.id}: README says ${cells?.[1]}, the code ${r.severity}`);
      assert.ok((cells?.[3] ?? '').length > 20, `${r.id} needs the reason for its severity`);
    }
  });
});
