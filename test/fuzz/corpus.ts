// The fleets the fuzzer starts from: the fleet-infra fixture, the feature tests' Flux fleet, and every
// parity fixture, each held in memory as { relative path: text }. Small on purpose: an iteration must
// take milliseconds so that thousands run in CI.
import * as fs from 'fs';
import * as path from 'path';
import { FLUX_FLEET } from '../unit/features/fixtures';

export type FleetFiles = Record<string, string>;

export interface SeedFleet {
  name: string;
  files: FleetFiles;
}

const REPO = path.resolve(__dirname, '..', '..');
const MAX_FILE_BYTES = 64 * 1024;

function readTree(dir: string): FleetFiles {
  const files: FleetFiles = {};
  const walk = (rel: string, depth: number) => {
    if (depth > 12) return;
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(childRel, depth + 1);
      else if (entry.isFile() && entry.name !== 'parity.json') {
        const abs = path.join(dir, childRel);
        if (fs.statSync(abs).size <= MAX_FILE_BYTES) files[childRel] = fs.readFileSync(abs, 'utf8');
      }
    }
  };
  walk('', 0);
  return files;
}

let cached: SeedFleet[] | undefined;

export function seedFleets(): SeedFleet[] {
  if (cached) return cached;
  const fleets: SeedFleet[] = [
    { name: 'fleet-infra', files: readTree(path.join(REPO, 'test/fixtures/fleet-infra')) },
    { name: 'flux-fleet', files: { ...FLUX_FLEET } },
  ];
  const parity = path.join(REPO, 'test/parity/fixtures');
  for (const name of fs.readdirSync(parity).sort()) {
    if (!fs.statSync(path.join(parity, name)).isDirectory()) continue;
    const files = readTree(path.join(parity, name));
    if (Object.keys(files).length > 0 && Object.keys(files).length <= 40) fleets.push({ name: `parity/${name}`, files });
  }
  cached = fleets;
  return fleets;
}
