// What both external-renderer test files (unit: the command; differential: the runs) start from: the client's
// settings with one renderer chosen, and a small kustomization folder in the temp folder.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ClientConfig } from '../client/src/config';

export function rendererConfig(overrides: Partial<ClientConfig>): ClientConfig {
  return {
    renderer: 'kubectl',
    rendererPath: '',
    rendererTimeoutSeconds: 20,
    revealSecrets: false,
    helm: { enabled: false, path: 'helm', chartCache: '' },
    ...overrides,
  };
}

/** A folder with a kustomization (namespace demo) and one ConfigMap; the caller removes it. */
export function makeRendererFolder(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flux-env-external-'));
  fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- cm.yaml\nnamespace: demo\n');
  fs.writeFileSync(path.join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: "1"\n');
  return dir;
}
