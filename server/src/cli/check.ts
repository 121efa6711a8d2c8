// `fluxenv check`: the editor's findings for a whole repository, as text, JSON or SARIF, for CI.
import { FleetIndex } from '../fleet/fleetIndex';
import type { Rule } from '../rules/rule';
import { allRules, runRules } from '../rules/run';
import { SEVERITY_NAMES_TEXT } from '../rules/severity';
import {
  CliError,
  existingFolder,
  fleetHelmHelp,
  formatProblem,
  helmArgument,
  limitsArgument,
  parseArgs,
  shownFile,
  UsageError,
  VERSION,
  writeOutput,
  type CliIo,
} from './args';
import { failureDiagnostic, formatJson, formatSarif, formatText, INTERNAL_ERROR_DESCRIPTOR, toCheckFindings } from './checkReport';

export const CHECK_HELP = `Usage: fluxenv check [folder] [options]

Check the fleet repository at <folder> (default: the current folder) with every rule of the catalogue:
the same findings, at the same places, as the editor shows. Rule severities come from the repository's
.fluxenv.yaml ('rules: { <rule-id>: <severity> }', severities ${SEVERITY_NAMES_TEXT});
'# fluxenv-disable-next-line <id>' in a file suppresses one occurrence.

Options:
  --format text|json|sarif   'text' (default): 'file:line:col: severity message [rule]' lines;
                             'json': an array of {rule, severity, file, line, column, endLine, endColumn,
                             message} (1-based, files relative to <folder>); 'sarif': SARIF 2.1.0 for code
                             scanning.
  -o, --output <file>        Write the report to <file> instead of standard output.
  --limits <json>            Bounds on what the repository may make the check do, as the editor's
                             fluxEnvironments.limits setting, e.g. '{"parse":{"maxDocuments":100},
                             "scan":{"maxFiles":100000}}'; groups parse, scan and render. A file or
                             render past a limit is a finding, not a crash.
${fleetHelmHelp(29)}  -h, --help                 Show this help.

Exit status: 0 no errors (warnings and notes allowed); 1 at least one error; 2 bad usage, a folder with no
fleet (no kustomization and no Flux object), or an internal failure (a rule that failed is also reported,
as an 'internal-error' warning on the file it was checking).
`;

/** `fluxenv check`; `rules` replaces the catalogue (tests inject a rule that throws). */
export function check(argv: string[], io: CliIo, rules?: Rule[]): number {
  const args = parseArgs(argv, new Set(['format', 'output', 'limits', 'helm-command']), new Set(['help', 'enable-helm']), {
    '-o': '--output',
    '-h': '--help',
  });
  if (args.flags.has('help')) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  if (args.positional.length > 1) throw new UsageError('check takes one folder');
  const format = (args.flags.get('format') as string | undefined) ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const folder = existingFolder(args.positional[0], io, 'fluxenv check path/to/fleet');
  const index = new FleetIndex(folder, { limits: limitsArgument(args), ...helmArgument(args) });
  const scan = index.scan();
  if (index.kustomizationFiles().length === 0 && index.fluxObjects().list.length === 0) {
    // CI pointed at the wrong folder must fail, not pass with "0 errors".
    throw new CliError(
      `no fleet in ${folder}: none of its ${scan.files.length} YAML files is a kustomization or holds a Flux object, so there is nothing to check. Pass the folder of the fleet repository (the one holding clusters/ and apps/), e.g. 'fluxenv check path/to/fleet'.`,
    );
  }
  const { diagnostics, failures, configProblems } = runRules(index, rules ? { rules } : {});
  for (const p of configProblems) io.stderr(formatProblem(p, io.cwd) + '\n');
  for (const f of failures) io.stderr(`fluxenv: rule ${f.rule} failed on ${shownFile(f.file, io.cwd)}: ${f.error}\n`);
  // A failure is also a finding, as in the editor: the report then says which file lost which rule's findings.
  const all = [...diagnostics, ...failures.map(failureDiagnostic)].sort((a, b) =>
    a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line,
  );
  const findings = toCheckFindings(all, index.root);
  const catalogue = [...(rules ?? allRules()), ...(failures.length > 0 ? [INTERNAL_ERROR_DESCRIPTOR] : [])];
  const report =
    format === 'json' ? formatJson(findings) : format === 'sarif' ? formatSarif(findings, catalogue, VERSION) : formatText(findings);
  const output = args.flags.get('output');
  if (typeof output === 'string') writeOutput(output, report, io);
  else io.stdout(report);
  if (failures.length > 0) return 2;
  return findings.some((f) => f.severity === 'error') ? 1 : 0;
}
