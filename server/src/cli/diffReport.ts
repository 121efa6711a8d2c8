// How `fluxenv diff` prints a rendered diff: text for a terminal, Markdown for a pull-request comment
// (bounded by what a GitHub comment holds), JSON for programs.
import type { EnvironmentChanges, KustomizationChanges, ObjectChange, RenderedDiff } from '../features/renderedDiff';

/** GitHub refuses comments over 65,536 characters; the rest is room for the note of what was cut. */
export const MARKDOWN_LIMIT = 65_000;

const SIGN: Record<ObjectChange['change'], string> = { added: '+', removed: '-', changed: '~', moved: '>' };

function objectLabel(o: ObjectChange): string {
  return `${o.apiVersion} ${o.kind} ${o.namespace === '' ? '' : o.namespace + '/'}${o.name}`;
}

function kustomizationLabel(k: KustomizationChanges): string {
  return k.namespace === '' ? `overlay ${k.name}` : `Kustomization ${k.namespace}/${k.name}`;
}

function countsText(env: EnvironmentChanges): string {
  const parts: string[] = [];
  for (const kind of ['added', 'changed', 'removed', 'moved'] as const) if (env.counts[kind] > 0) parts.push(`${env.counts[kind]} ${kind}`);
  const errors = env.kustomizations.filter((k) => k.errors).length;
  if (errors > 0) parts.push(`${errors} with render errors`);
  const only = env.onlyIn === 'base' ? ' (removed: only at the base)' : env.onlyIn === 'head' ? ' (new: only at the head)' : '';
  return (parts.length === 0 ? 'no changes' : parts.join(', ')) + only;
}

function sideLabel(label: string, commit: string | undefined): string {
  return commit && !commit.startsWith(label) ? `${label} (${commit.slice(0, 12)})` : label;
}

/** Whether anything differs: an object, or the render errors of a Kustomization. */
export function hasDifferences(diff: RenderedDiff): boolean {
  return diff.environments.some(
    (env) =>
      env.onlyIn !== undefined ||
      env.kustomizations.some((k) => k.objects.length > 0 || JSON.stringify(k.errors?.base ?? []) !== JSON.stringify(k.errors?.head ?? [])),
  );
}

export function formatText(diff: RenderedDiff, color: boolean): string {
  const paint = (code: string, text: string) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const out: string[] = [`Rendered changes: ${sideLabel(diff.base, diff.baseCommit)} -> ${sideLabel(diff.head, diff.headCommit)}`, ''];
  if (diff.environments.length === 0) out.push('No environments found at either side.');
  for (const env of diff.environments) {
    out.push(`${paint('1', env.name)}: ${countsText(env)}`);
    for (const k of env.kustomizations) {
      out.push(`  ${kustomizationLabel(k)}`);
      for (const [side, messages] of Object.entries(k.errors ?? {}))
        for (const m of messages) out.push(`    ${paint('31', `render error at the ${side}:`)} ${m}`);
      for (const o of k.objects) {
        const from = o.movedFrom ? ` (moved from ${o.movedFrom})` : '';
        out.push(`    ${SIGN[o.change]} ${o.change} ${objectLabel(o)}${from}`);
        for (const line of o.diff.split('\n').filter((l) => l !== '')) {
          const code = line.startsWith('@@') ? '36' : line.startsWith('+') ? '32' : line.startsWith('-') ? '31' : '';
          out.push(`      ${code ? paint(code, line) : line}`);
        }
      }
    }
    out.push('');
  }
  return out.join('\n');
}

/** A code fence longer than any run of backticks in the text, so a diff can never close it early. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

function escapeCell(text: string): string {
  return text.replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);
}

export function formatMarkdown(diff: RenderedDiff, limit = MARKDOWN_LIMIT): string {
  const head = [
    `### Rendered changes: \`${sideLabel(diff.base, diff.baseCommit)}\` → \`${sideLabel(diff.head, diff.headCommit)}\``,
    '',
    '| Environment | Added | Changed | Removed | Moved | Render errors |',
    '|---|---:|---:|---:|---:|---:|',
    ...diff.environments.map(
      (env) =>
        `| ${escapeCell(env.name)}${env.onlyIn ? ` (only at the ${env.onlyIn})` : ''} | ${env.counts.added} | ${env.counts.changed} | ${env.counts.removed} | ${env.counts.moved} | ${env.kustomizations.filter((k) => k.errors).length} |`,
    ),
    '',
  ].join('\n');
  // Cut diffs from the last environment backwards until the comment fits; then whole sections.
  const withDiff = diff.environments.map((env) => env.kustomizations.map((k) => k.objects.map(() => true)));
  const sectionShown = diff.environments.map(() => true);
  let cutDiffs = 0;
  let cutSections = 0;
  const render = () => {
    const sections = diff.environments
      .map((env, e) => (sectionShown[e] ? environmentSection(env, withDiff[e]) : ''))
      .filter((s) => s !== '');
    const notes: string[] = [];
    if (cutDiffs > 0 || cutSections > 0) {
      const what = [
        cutDiffs > 0 ? `the diffs of ${cutDiffs} object${cutDiffs === 1 ? '' : 's'}` : '',
        cutSections > 0 ? `${cutSections} environment section${cutSections === 1 ? '' : 's'}` : '',
      ]
        .filter((s) => s !== '')
        .join(' and ');
      notes.push(
        `> [!NOTE]\n> Left out to stay under ${limit.toLocaleString('en-US')} characters: ${what}. Run \`fluxenv diff\` for the whole diff.\n`,
      );
    }
    return [head, ...sections, ...notes].join('\n');
  };
  let text = render();
  // Each diff left out saves its fenced block less the placeholder: count down from the end, then check.
  let excess = text.length - limit;
  for (let e = diff.environments.length - 1; e >= 0 && excess > 0; e--) {
    const env = diff.environments[e];
    for (let k = env.kustomizations.length - 1; k >= 0 && excess > 0; k--) {
      for (let o = env.kustomizations[k].objects.length - 1; o >= 0 && excess > 0; o--) {
        const objectDiff = env.kustomizations[k].objects[o].diff;
        if (!withDiff[e][k][o] || objectDiff === '') continue;
        withDiff[e][k][o] = false;
        cutDiffs++;
        excess -= objectDiff.length + 2 * fenceFor(objectDiff).length + 8 - LEFT_OUT.length;
      }
    }
    text = render();
    excess = text.length - limit;
  }
  for (let e = diff.environments.length - 1; e >= 0 && text.length > limit; e--) {
    sectionShown[e] = false;
    cutSections++;
    text = render();
  }
  return text.length > limit ? text.slice(0, limit) : text;
}

const LEFT_OUT = '_(diff left out: size limit)_';

function environmentSection(env: EnvironmentChanges, withDiff: boolean[][]): string {
  if (env.kustomizations.length === 0) return '';
  const out: string[] = [`<details><summary><b>${escapeCell(env.name)}</b>: ${countsText(env)}</summary>`, ''];
  env.kustomizations.forEach((k, ki) => {
    out.push(`#### ${escapeCell(kustomizationLabel(k))}`, '');
    for (const [side, messages] of Object.entries(k.errors ?? {}))
      for (const m of messages) out.push(`- :x: render error at the ${side}: ${escapeCell(m)}`);
    if (k.errors) out.push('');
    k.objects.forEach((o, oi) => {
      const from = o.movedFrom ? ` (moved from \`${o.movedFrom}\`)` : '';
      out.push(`**${o.change}** \`${objectLabel(o)}\`${from}`, '');
      if (o.diff !== '' && withDiff[ki][oi]) {
        const fence = fenceFor(o.diff);
        out.push(`${fence}diff`, o.diff.replace(/\n$/, ''), fence, '');
      } else if (o.diff !== '') out.push(LEFT_OUT, '');
    });
  });
  out.push('</details>', '');
  return out.join('\n');
}

/** The documented JSON shape: environments, their Kustomizations, their changed objects. */
export function formatJson(diff: RenderedDiff): string {
  const shape = {
    base: diff.base,
    head: diff.head,
    ...(diff.baseCommit ? { baseCommit: diff.baseCommit } : {}),
    ...(diff.headCommit ? { headCommit: diff.headCommit } : {}),
    environments: diff.environments.map((env) => ({
      name: env.name,
      ...(env.onlyIn ? { onlyIn: env.onlyIn } : {}),
      counts: env.counts,
      kustomizations: env.kustomizations.map((k) => ({
        name: k.name,
        namespace: k.namespace,
        ...(k.errors ? { errors: k.errors } : {}),
        objects: k.objects.map((o) => ({
          apiVersion: o.apiVersion,
          kind: o.kind,
          namespace: o.namespace,
          name: o.name,
          change: o.change,
          ...(o.movedFrom ? { movedFrom: o.movedFrom } : {}),
          diff: o.diff,
        })),
      })),
    })),
  };
  return JSON.stringify(shape, null, 2) + '\n';
}
