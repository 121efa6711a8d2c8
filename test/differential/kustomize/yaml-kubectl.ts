// Test helper for the YAML tests: runs `kubectl kustomize` over a temporary folder and returns its raw
// stdout, because those tests compare bytes, not objects.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { requireKubectl } from '../kubectl-oracle';

/** Call in a `before`: fails in CI without kubectl, otherwise skips loudly. */
export function needKubectl(ctx: Mocha.Context): void {
  requireKubectl(ctx, 'the YAML differential tests');
}

export interface KubectlRun {
  ok: boolean;
  stdout: string;
  stderr: string;
}

/** Writes `resources` as resource files of a kustomization in a fresh temp folder and runs `kubectl kustomize` on it. */
export function kubectlKustomize(resources: Record<string, string>): KubectlRun {
  return kubectlKustomizeWith(
    resources,
    `resources:\n${Object.keys(resources)
      .map((n) => `- ${n}\n`)
      .join('')}`,
  );
}

/** Like kubectlKustomize, with the kustomization file's text given. */
export function kubectlKustomizeWith(files: Record<string, string>, kustomization: string): KubectlRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-yaml-'));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    fs.writeFileSync(path.join(dir, 'kustomization.yaml'), kustomization);
    const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
    return { ok: run.status === 0, stdout: run.stdout ?? '', stderr: run.stderr ?? '' };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The first lines that differ, for a readable assertion message. */
export function firstDifference(expected: string, actual: string): string {
  const e = expected.split('\n');
  const a = actual.split('\n');
  for (let i = 0; i < Math.max(e.length, a.length); i++) {
    if (e[i] !== a[i]) {
      const from = Math.max(0, i - 3);
      return `line ${i + 1}\n--- kubectl:\n${e.slice(from, i + 3).join('\n')}\n--- ours:\n${a.slice(from, i + 3).join('\n')}`;
    }
  }
  return 'no difference';
}
