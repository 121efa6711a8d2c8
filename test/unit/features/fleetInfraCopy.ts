// Test helper: a private copy of test/fixtures/fleet-infra (plus extra or replaced files), indexed, so that
// tests may add files without touching the shared fixture.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';

export const FLEET_INFRA = path.resolve(__dirname, '../../fixtures/fleet-infra');

export interface FleetCopy {
  root: string;
  index: FleetIndex;
  dispose(): void;
}

export function copyFleetInfra(extra: Record<string, string> = {}): FleetCopy {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-fleet-infra-')));
  fs.cpSync(FLEET_INFRA, root, { recursive: true });
  for (const [rel, text] of Object.entries(extra)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  const index = new FleetIndex(root);
  index.scan();
  return { root, index, dispose: () => fs.rmSync(root, { recursive: true, force: true }) };
}
