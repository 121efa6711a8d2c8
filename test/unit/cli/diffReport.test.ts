// What `fluxenv diff` prints, from a rendered diff built by hand: the Markdown bound of a pull-request
// comment, fences a diff cannot close, the exit decision.
import * as assert from 'assert';
import { formatMarkdown, formatText, hasDifferences, MARKDOWN_LIMIT } from '../../../server/src/cli/diffReport';
import type { EnvironmentChanges, ObjectChange, RenderedDiff } from '../../../server/src/features/renderedDiff';

function object(name: string, diff: string): ObjectChange {
  return { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'apps', name, change: 'changed', diff };
}

function environment(name: string, objects: ObjectChange[]): EnvironmentChanges {
  return {
    name,
    counts: { added: 0, changed: objects.length, removed: 0, moved: 0 },
    kustomizations: [{ name: 'apps', namespace: 'flux-system', objects }],
  };
}

const bigDiff = (n: number) =>
  '@@ -1,200 +1,200 @@\n' + Array.from({ length: 200 }, (_, i) => `-  key${i}: old-${n}\n+  key${i}: new-${n}`).join('\n') + '\n';

describe('fluxenv diff reports', () => {
  it('keeps the Markdown under the comment limit, the summary whole, and says what it cut', () => {
    const diff: RenderedDiff = {
      base: 'main',
      head: 'work tree',
      environments: ['dev', 'staging', 'production'].map((env) =>
        environment(
          env,
          Array.from({ length: 20 }, (_, i) => object(`config-${i}`, bigDiff(i))),
        ),
      ),
    };
    const md = formatMarkdown(diff);
    assert.ok(md.length <= MARKDOWN_LIMIT, `${md.length} characters`);
    for (const env of ['dev', 'staging', 'production'])
      assert.match(md, new RegExp(`^\\| ${env} \\| 0 \\| 20 \\| 0 \\| 0 \\| 0 \\|$`, 'm'));
    // The first environments keep their diffs; the cut starts from the end.
    assert.match(
      md,
      /<summary><b>dev<\/b>: 20 changed<\/summary>\n\n#### Kustomization flux-system\/apps\n\n\*\*changed\*\* `v1 ConfigMap apps\/config-0`\n\n```diff\n/,
    );
    assert.match(md, /^> Left out to stay under 65,000 characters: the diffs of \d+ objects\. Run `fluxenv diff` for the whole diff\.$/m);
    assert.match(md, /_\(diff left out: size limit\)_/);
  });

  it('fences a diff containing backticks with a longer fence', () => {
    const md = formatMarkdown({
      base: 'a',
      head: 'b',
      environments: [environment('dev', [object('script', '@@ -1 +1 @@\n-run: ```old```\n+run: ```new```\n')])],
    });
    assert.match(md, /^````diff\n@@ -1 \+1 @@\n-run: ```old```\n\+run: ```new```\n````$/m);
  });

  it('prints text without colour unless asked, and with it when asked', () => {
    const diff: RenderedDiff = {
      base: 'main',
      head: 'work tree',
      environments: [environment('dev', [object('c', '@@ -1 +1 @@\n-a: 1\n+a: 2\n')]), environment('prod', [])],
    };
    diff.environments[1].counts.changed = 0;
    assert.strictEqual(
      formatText(diff, false),
      'Rendered changes: main -> work tree\n\ndev: 1 changed\n  Kustomization flux-system/apps\n    ~ changed v1 ConfigMap apps/c\n      @@ -1 +1 @@\n      -a: 1\n      +a: 2\n\nprod: no changes\n  Kustomization flux-system/apps\n',
    );
    assert.ok(formatText(diff, true).includes('\x1b[31m-a: 1\x1b[0m'));
  });

  it('differs when an object changed or when render errors differ, not when both sides fail alike', () => {
    const same: RenderedDiff = {
      base: 'a',
      head: 'b',
      environments: [
        {
          name: 'dev',
          counts: { added: 0, changed: 0, removed: 0, moved: 0 },
          kustomizations: [{ name: 'apps', namespace: 'flux-system', objects: [], errors: { base: ['x'], head: ['x'] } }],
        },
      ],
    };
    assert.strictEqual(hasDifferences(same), false);
    const newError: RenderedDiff = {
      ...same,
      environments: [
        { ...same.environments[0], kustomizations: [{ name: 'apps', namespace: 'flux-system', objects: [], errors: { head: ['x'] } }] },
      ],
    };
    assert.strictEqual(hasDifferences(newError), true);
    assert.strictEqual(hasDifferences({ base: 'a', head: 'b', environments: [environment('dev', [object('c', '')])] }), true);
  });
});
