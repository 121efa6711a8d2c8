// Runs everything a user can trigger on one fleet held in memory: index, environments, every render,
// the rule check, and every editor feature at a few positions of the focused file. Each call is timed;
// an exception escaping the API or a call over its time limit is a finding.
import { codeActions } from '../../server/src/features/codeActions';
import { codeLenses } from '../../server/src/features/codeLens';
import { completion } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { fileUri, toLspDiagnostic } from '../../server/src/features/diagnostics';
import { hover } from '../../server/src/features/hover';
import { documentLinks } from '../../server/src/features/links';
import { references } from '../../server/src/features/references';
import { rename } from '../../server/src/features/rename';
import { documentSymbols } from '../../server/src/features/symbols';
import { FleetIndex, type FleetSettings } from '../../server/src/fleet/fleetIndex';
import { memoryFileSystem } from '../../server/src/kustomize/fs';
import type { Position } from '../../server/src/kustomize/types';
import { runRules, type Diagnostic } from '../../server/src/rules/run';
import type { FleetFiles } from './corpus';
import type { Rng } from './mutate';

export const FUZZ_ROOT = '/fuzz/repo';

export interface Finding {
  kind: 'crash' | 'slow';
  call: string;
  detail: string;
  ms: number;
}

export interface ExerciseReport {
  findings: Finding[];
  calls: number;
  slowestCall: { call: string; ms: number };
}

/** A FleetIndex over files held in memory (no disk), every file known to it as an open buffer would be. */
export function memoryFleetIndex(files: FleetFiles, settings: FleetSettings = {}, root = FUZZ_ROOT): FleetIndex {
  const absolute: Record<string, string> = {};
  for (const [rel, text] of Object.entries(files)) absolute[`${root}/${rel}`] = text;
  const index = new FleetIndex(root, settings, memoryFileSystem(absolute));
  for (const [file, text] of Object.entries(absolute)) index.setBuffer(file, text);
  return index;
}

export function exerciseFleet(files: FleetFiles, focus: string | undefined, rng: Rng, callLimitMs: number): ExerciseReport {
  return exerciseIndex(() => memoryFleetIndex(files), FUZZ_ROOT, files, focus, rng, callLimitMs);
}

/** Everything on an index built by `makeIndex`; `files` are the texts by path relative to `root`. */
export function exerciseIndex(
  makeIndex: () => FleetIndex,
  root: string,
  files: FleetFiles,
  focus: string | undefined,
  rng: Rng,
  callLimitMs: number,
): ExerciseReport {
  const report: ExerciseReport = { findings: [], calls: 0, slowestCall: { call: '', ms: 0 } };
  const call = <T>(name: string, fn: () => T): T | undefined => {
    // CPU time, not the clock: a hang is unbounded work, and a busy machine must not look like one.
    const cpu0 = process.cpuUsage();
    const elapsed = () => {
      const used = process.cpuUsage(cpu0);
      return (used.user + used.system) / 1000;
    };
    let result: T | undefined;
    try {
      result = fn();
    } catch (e) {
      report.findings.push({
        kind: 'crash',
        call: name,
        detail: e instanceof Error ? (e.stack ?? e.message) : String(e),
        ms: elapsed(),
      });
    }
    const ms = elapsed();
    report.calls++;
    if (ms > report.slowestCall.ms) report.slowestCall = { call: name, ms };
    if (ms > callLimitMs)
      report.findings.push({ kind: 'slow', call: name, detail: `took ${ms.toFixed(0)} ms of CPU (limit ${callLimitMs} ms)`, ms });
    return result;
  };

  const index = call('new FleetIndex', makeIndex);
  if (!index) return report;
  call('fluxObjects', () => index.fluxObjects());
  const discovery = call('environments', () => index.environments());
  for (const env of discovery?.environments ?? []) call(`renderEnvironment ${env.name}`, () => index.renderEnvironment(env));
  for (const file of call('kustomizationFiles', () => index.kustomizationFiles()) ?? []) {
    const dir = file.slice(0, file.lastIndexOf('/'));
    call(`renderFolder ${dir}`, () => index.renderFolder(dir));
  }
  for (const ks of index.fluxObjects().list) call(`renderFluxKustomization ${ks.file}`, () => index.renderFluxKustomization(ks));
  const check = call('runRules', () => runRules(index));
  for (const failure of check?.failures ?? []) {
    report.findings.push({ kind: 'crash', call: `rule ${failure.rule}`, detail: failure.error, ms: 0 });
  }

  // '*': every file (the hostile suite), else the mutated file and one other.
  const targets =
    focus === '*'
      ? Object.keys(files)
      : [focus, rng.pick(Object.keys(files))].filter((f): f is string => f !== undefined && files[f] !== undefined);
  for (const rel of [...new Set(targets)]) {
    const file = `${root}/${rel}`;
    const uri = fileUri(file);
    const textDocument = { uri };
    call('documentLinks', () => documentLinks(index, { textDocument }));
    call('documentSymbols', () => documentSymbols(index, { textDocument }));
    call('codeLenses', () => codeLenses(index, { textDocument }));
    const mine: Diagnostic[] = (check?.diagnostics ?? []).filter((d) => d.file === file);
    call('codeActions', () =>
      codeActions({
        textDocument,
        range: { start: { line: 0, character: 0 }, end: { line: 1 << 20, character: 0 } },
        context: { diagnostics: mine.map((d) => toLspDiagnostic(d, '/docs')) },
      }),
    );
    for (const position of positionsIn(files[rel], rng)) {
      call('definition', () => definition(index, { textDocument, position }));
      call('hover', () => hover(index, { textDocument, position }));
      call('references', () => references(index, { textDocument, position, context: { includeDeclaration: true } }));
      call('completion', () => completion(index, { textDocument, position }));
      call('rename', () => rename(index, { textDocument, position, newName: rng.pick(['renamed', '', '../x', 'a b', '${X}']) }));
    }
  }
  return report;
}

/** A few positions: on words of the text, at line ends, and past the end (a stale client). */
function positionsIn(text: string, rng: Rng): Position[] {
  const lines = text.split('\n');
  const out: Position[] = [];
  for (let i = 0; i < 4; i++) {
    const line = rng.int(lines.length);
    out.push({ line, character: rng.int(lines[line].length + 2) });
  }
  out.push({ line: lines.length + 2, character: 3 });
  return out;
}
