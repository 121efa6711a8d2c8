import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { emittedStyle } from '../../../server/src/flux/substitute';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { requireKubectl } from '../kubectl-oracle';

const cm = (data: JsonObject, metadata: JsonObject = {}): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'c', ...metadata },
  data,
});

describe('flux/substitute', () => {
  it('writes strings the way kubectl kustomize (and so the controller) serialises them', function () {
    requireKubectl(this, 'the comparison with how kubectl prints substituted strings');
    const samples = [
      '${x}',
      '${a}: b',
      '${a} #c',
      '#${a}',
      '- ${a}',
      '-${a}',
      ':${a}',
      '${a}:',
      ' ${a}',
      '[${a}]',
      '*${a}',
      "'${a}'",
      'x${a}#y',
      '---${a}',
      'a\t${b}',
      'l1 ${a}\nl2',
      'l1 \n${a}',
      "it's ${a}",
      'yes',
      '1:20',
      '0x1F',
      '3',
      '1e3',
    ];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-subst-'));
    try {
      const data: Record<string, string> = {};
      samples.forEach((s, i) => (data[`k${i}`] = s));
      fs.writeFileSync(path.join(dir, 'cm.json'), JSON.stringify(cm(data)));
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- cm.json\n');
      const lines = execFileSync('kubectl', ['kustomize', dir]).toString().split('\n');
      samples.forEach((s, i) => {
        const text = lines.find((l) => l.startsWith(`  k${i}: `))!.slice(`  k${i}: `.length);
        const style = text.startsWith("'") ? 'single' : text.startsWith('"') ? 'double' : text.startsWith('|') ? 'literal' : 'plain';
        assert.equal(emittedStyle(s), style, JSON.stringify(s));
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
