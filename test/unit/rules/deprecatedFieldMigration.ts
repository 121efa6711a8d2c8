// The migration check both the in-memory tests and the kubectl comparisons of deprecated-field run.
import * as assert from 'assert';
import * as path from 'path';
import { deprecatedField } from '../../../server/src/rules/deprecated-field';
import type { Fleet } from './harness';

/**
 * Checks the overlay, expects one finding for `field` at its key, applies the fix, and asserts the new text,
 * a byte-identical render before and after, and no finding left. Returns the render (unchanged by the fix).
 */
export function migrate(fleet: Fleet, field: string, expected: string): string {
  const file = path.join(fleet.root, 'apps/staging/kustomization.yaml');
  const before = fleet.index.renderFolder(path.dirname(file)).yaml;
  assert.ok(before, 'the overlay renders before the fix');
  const found = fleet.check(deprecatedField).filter((d) => d.message.startsWith(`'${field}'`));
  assert.strictEqual(found.length, 1);
  const [d] = found;
  assert.strictEqual(d.severity, 'warning');
  const keyLine = fleet
    .read('apps/staging/kustomization.yaml')
    .split('\n')
    .findIndex((l) => l.startsWith(`${field}:`));
  assert.deepStrictEqual(d.range, { start: { line: keyLine, character: 0 }, end: { line: keyLine, character: field.length } });
  assert.ok(d.fixes?.[0], 'a fix is offered');
  fleet.apply(d.fixes[0]);
  assert.strictEqual(fleet.read('apps/staging/kustomization.yaml'), expected);
  assert.strictEqual(fleet.index.renderFolder(path.dirname(file)).yaml, before, 'the render is byte-identical after the fix');
  assert.deepStrictEqual(
    fleet.check(deprecatedField).filter((x) => x.message.startsWith(`'${field}'`)),
    [],
  );
  return before;
}
