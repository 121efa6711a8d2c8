// Objects Flux generates itself fail to generate: a ResourceSet whose template does not render
// (flux-operator builds it with Go text/template and `<< >>` delimiters, missingkey=error:
// internal/builder/resourceset.go), an ArtifactGenerator copy rule that matches nothing or leaves the
// source (source-watcher internal/builder/builder.go). The controller then fails the whole object, so
// nothing it generates reaches the cluster. Also the graph's own limits.
import type { Finding, Rule, Severity } from './rule';

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

export const fluxGeneratorError: Rule = {
  id: 'flux-generator-error',
  severity: 'error',
  category: 'flux',
  description: 'ResourceSet or ArtifactGenerator that Flux fails to generate from (template error, copy rule matching nothing).',
  check({ index }) {
    const findings: Finding[] = [];
    const seen = new Set<string>();
    for (const p of index.environments().graph?.problems ?? []) {
      const range = p.range ?? ZERO;
      const key = `${p.file}:${range.start.line}:${range.start.character}:${p.message}`;
      if (seen.has(key) || index.fs.kind(p.file) !== 'file') continue;
      seen.add(key);
      findings.push({
        file: p.file,
        range,
        message: p.message,
        severity: (p.severity === 'error' ? 'error' : 'warning') as Severity,
        ...(p.related
          ? { related: p.related.map((r) => ({ file: r.file, ...(r.range ? { range: r.range } : {}), message: r.message })) }
          : {}),
      });
    }
    // What is known only on the cluster (a ResourceSet's dynamic inputs) is said as information, once.
    for (const env of index.environments().environments) {
      for (const note of env.cluster?.notes ?? []) {
        const key = `${note.file}:${note.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        findings.push({ file: note.file, range: note.range ?? ZERO, message: note.message, severity: 'info' });
      }
    }
    return findings;
  },
};
