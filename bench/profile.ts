// A text summary of a V8 CPU profile (node --cpu-prof): the functions with the most self time, the
// functions with the most inclusive time, and the hottest call paths top-down, each function named by its
// place in server/src through the bundle's source map (dist/*.js.map), so the numbers point at our code.
import * as fs from 'fs';
import * as path from 'path';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- node:module's SourceMap (Node >= 18.19), not in every @types/node
const { SourceMap } = require('module') as {
  SourceMap: new (payload: unknown) => { findEntry(line: number, column: number): { originalSource?: string; originalLine?: number } };
};

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const maps = new Map<string, InstanceType<typeof SourceMap> | undefined>();
function sourceMapOf(url: string): InstanceType<typeof SourceMap> | undefined {
  if (maps.has(url)) return maps.get(url);
  let map: InstanceType<typeof SourceMap> | undefined;
  try {
    const file = url.startsWith('file://') ? new URL(url).pathname : url;
    if (file && fs.existsSync(`${file}.map`)) map = new SourceMap(JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')));
  } catch {
    map = undefined;
  }
  maps.set(url, map);
  return map;
}

/** `name (server/src/x.ts:12)`, or the V8 pseudo-frames as they are: (garbage collector), (program)… */
function nameOf(frame: CallFrame): string {
  const name = frame.functionName || '(anonymous)';
  if (!frame.url) return name;
  const entry = sourceMapOf(frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry?.originalSource) {
    const src = entry.originalSource.replace(/^(?:file:\/\/)?.*?\/(server|node_modules|bench)\//, '$1/').replace(/^(\.\.\/)+/, '');
    return `${name} (${src}:${(entry.originalLine ?? 0) + 1})`;
  }
  const file = frame.url.startsWith('node:') ? frame.url : path.basename(frame.url);
  return `${name} (${file}:${frame.lineNumber + 1})`;
}

export function summarizeProfile(
  profile: CpuProfile,
  options: { top?: number; threshold?: number; maxLines?: number; wallMs?: number } = {},
): string {
  const top = options.top ?? 15;
  const threshold = options.threshold ?? 0.03;
  const maxLines = options.maxLines ?? 45;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const key = new Map(profile.nodes.map((n) => [n.id, nameOf(n.callFrame)]));
  // Self time per node, in ms (timeDeltas are microseconds; each sample's delta is its own).
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000));
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const idle = [...self].filter(([id]) => key.get(id) === '(idle)').reduce((a, [, t]) => a + t, 0);
  const busy = total - idle;

  const selfByFn = new Map<string, number>();
  const inclusiveByFn = new Map<string, number>();
  for (const [id, t] of self) {
    const k = key.get(id)!;
    selfByFn.set(k, (selfByFn.get(k) ?? 0) + t);
    // Inclusive: each function once per stack, so recursion is not counted twice.
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const f = key.get(at)!;
      if (seen.has(f)) continue;
      seen.add(f);
      inclusiveByFn.set(f, (inclusiveByFn.get(f) ?? 0) + t);
    }
  }
  const pct = (t: number) => `${((100 * t) / busy).toFixed(1)}%`.padStart(6);
  const row = (t: number, label: string) => `  ${t.toFixed(0).padStart(6)} ms ${pct(t)}  ${label}`;
  const out: string[] = [];
  out.push(
    `  sampled ${total.toFixed(0)} ms (${busy.toFixed(0)} ms not idle)${options.wallMs ? ` in a run of ${options.wallMs.toFixed(0)} ms wall` : ''}; percentages of the time not idle`,
  );
  out.push(`  top ${top} functions by self time:`);
  for (const [k, t] of [...selfByFn].sort((a, b) => b[1] - a[1]).slice(0, top)) out.push(row(t, k));
  out.push(`  top ${top} functions by inclusive time (self + callees; (root) and the module loader left out):`);
  const boring =
    /^\(root\)|^\(anonymous\) \(node:|^Module\.|^Module\._|^require \(|^executeUserEntryPoint|^runMain|^wrapModuleLoad|^loadESM|^Function\.executeUserEntryPoint/;
  for (const [k, t] of [...inclusiveByFn]
    .filter(([k]) => !boring.test(k))
    .sort((a, b) => b[1] - a[1])
    .slice(0, top))
    out.push(row(t, k));

  // Hottest call paths, top-down: children merged by function, shown while they hold >= threshold of the time.
  const inclusiveNode = new Map<number, number>();
  const inc = (id: number): number => {
    const hit = inclusiveNode.get(id);
    if (hit !== undefined) return hit;
    let t = self.get(id) ?? 0;
    for (const c of byId.get(id)?.children ?? []) t += inc(c);
    inclusiveNode.set(id, t);
    return t;
  };
  const rootNode = profile.nodes[0];
  inc(rootNode.id);
  out.push(
    `  hottest call paths (top-down; calls holding >= ${(threshold * 100).toFixed(0)}% of the time; chains of one call folded with ' > '):`,
  );
  let lines = 0;
  const walk = (ids: number[], depth: number) => {
    // Merge the nodes of the same function among these siblings.
    const groups = new Map<string, number[]>();
    for (const id of ids) {
      const k = key.get(id)!;
      groups.set(k, [...(groups.get(k) ?? []), id]);
    }
    const ranked = [...groups]
      .map(([k, members]) => ({ k, members, t: members.reduce((a, m) => a + inc(m), 0) }))
      .filter((g) => g.t >= threshold * busy && g.k !== '(idle)')
      .sort((a, b) => b.t - a.t);
    for (const g of ranked) {
      if (lines >= maxLines) return;
      // Fold a chain of calls that each have one hot callee into one line.
      const chain = [g.k];
      let members = g.members;
      for (;;) {
        const kids = members.flatMap((m) => byId.get(m)?.children ?? []);
        const hot = new Map<string, number[]>();
        for (const c of kids) if (inc(c) > 0) hot.set(key.get(c)!, [...(hot.get(key.get(c)!) ?? []), c]);
        const hotRanked = [...hot]
          .map(([k, ms]) => ({ k, ms, t: ms.reduce((a, m) => a + inc(m), 0) }))
          .filter((h) => h.t >= threshold * busy);
        if (hotRanked.length !== 1 || hotRanked[0].t < 0.9 * g.t) break;
        chain.push(hotRanked[0].k);
        members = hotRanked[0].ms;
      }
      const shown = chain.length > 4 ? [...chain.slice(0, 2), `…${chain.length - 4} more…`, ...chain.slice(-2)] : chain;
      out.push(`  ${g.t.toFixed(0).padStart(6)} ms ${pct(g.t)}  ${'  '.repeat(depth)}${shown.join(' > ')}`);
      lines++;
      walk(
        members.flatMap((m) => byId.get(m)?.children ?? []),
        depth + 1,
      );
    }
  };
  walk(rootNode.children ?? [], 0);
  if (lines >= maxLines) out.push(`  … (more paths above ${(threshold * 100).toFixed(0)}% left out)`);
  return out.join('\n') + '\n';
}
