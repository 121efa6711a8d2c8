// Hostile repositories built in temp folders by code (symbolic link loops and links out of the repository
// cannot live in git), checked the way the editor and `fluxenv check` do, with every file read recorded so
// a test can assert that nothing outside the repository was touched.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FleetIndex, type FleetSettings } from '../../server/src/fleet/fleetIndex';
import { nodeFileSystem, type FileSystem } from '../../server/src/kustomize/fs';
import { runRules, type Diagnostic } from '../../server/src/rules/run';
import { exerciseIndex, type ExerciseReport } from '../fuzz/exercise';
import { makeRng } from '../fuzz/mutate';

export interface HostileRepo {
  root: string;
  /** A folder next to the repository, standing for "outside the workspace" (secrets a link might reach). */
  outside: string;
  file(rel: string): string;
  dispose(): void;
}

/** Writes `files` (text or bytes) under a new repository root with a `.git` marker; `setup` adds links etc. */
export function makeHostileRepo(files: Record<string, string | Uint8Array>, setup?: (repo: HostileRepo) => void): HostileRepo {
  const base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-hostile-')));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.mkdirSync(outside, { recursive: true });
  fs.writeFileSync(
    path.join(outside, 'secret.yaml'),
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: stolen\ndata:\n  password: aHVudGVyMg==\n',
  );
  fs.writeFileSync(path.join(outside, 'kustomization.yaml'), 'resources:\n  - secret.yaml\n');
  for (const [rel, content] of Object.entries(files)) {
    const f = path.join(root, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, content);
  }
  const repo: HostileRepo = {
    root,
    outside,
    file: (rel) => `${root}/${rel}`,
    dispose: () => fs.rmSync(base, { recursive: true, force: true }),
  };
  setup?.(repo);
  return repo;
}

/** The node file system, recording every path whose content or listing is read. */
export function spyingFileSystem(reads: Set<string>): FileSystem {
  return {
    readFile: (f) => (reads.add(f), nodeFileSystem.readFile(f)),
    readBytes: (f) => (reads.add(f), nodeFileSystem.readBytes!(f)),
    readDir: (d) => (reads.add(d), nodeFileSystem.readDir(d)),
    kind: (p) => nodeFileSystem.kind(p),
    realPath: (p) => nodeFileSystem.realPath(p),
  };
}

export interface CheckedRepo {
  index: FleetIndex;
  diagnostics: Diagnostic[];
  /** Paths read (content or listing) during the check, renders and features, resolved through links. */
  reads: string[];
  exercise: ExerciseReport;
  ms: number;
}

/** Index + check + every render + every editor feature on the files of the repository, timed. */
export function checkRepo(repo: HostileRepo, settings: FleetSettings = {}): CheckedRepo {
  const t0 = performance.now();
  const reads = new Set<string>();
  const index = new FleetIndex(repo.root, settings, spyingFileSystem(reads));
  index.scan();
  const { diagnostics, failures } = runRules(index);
  for (const f of failures) throw new Error(`rule ${f.rule} failed: ${f.error}`);
  const texts: Record<string, string> = {};
  for (const file of index.yamlFiles()) texts[file.slice(repo.root.length + 1)] = index.text(file) ?? '';
  const exercise = exerciseIndex(() => index, repo.root, texts, '*', makeRng(1), 10_000);
  const crash = exercise.findings.find((f) => f.kind === 'crash');
  if (crash) throw new Error(`${crash.call} threw: ${crash.detail}`);
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return p;
    }
  };
  return { index, diagnostics, reads: [...reads].map(real), exercise, ms: performance.now() - t0 };
}

/** The diagnostics of a rule (or problem code inside the message's rule) at a file, as `rule line:col message`. */
export function describe(d: Diagnostic, root: string): string {
  return `${d.rule} ${d.file.slice(root.length + 1)}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`;
}

export function isInside(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir + '/');
}
