// Derives server/src/flux/api/fluxApi.generated.ts from the CustomResourceDefinitions Flux ships, so
// the kinds, versions, enums and fields the engine checks against are Flux's own, and a new Flux
// release is one re-run of this script rather than edits to hand-written lists.
//
// Usage:
//   node scripts/derive-flux-api.mjs [--out FILE] [--flux RELEASE] INPUT... [--flux RELEASE INPUT...]...
//
// INPUT is a CRD file, a directory of them (searched recursively for *.yaml), or
// `git:GIT_DIR@REF:PATH` (a file or folder read straight from a git repository at REF, whose
// repository and commit are then recorded in the generated header).
// Each `--flux RELEASE` starts the inputs of one Flux release; give releases oldest first. The newest
// release decides kinds, versions and schemas; older releases only add the versions they served that
// the newest no longer does, so an apiVersion removed since then gets a message naming the last
// release that served it instead of "unknown".
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments } from 'yaml';

const DEFAULT_OUT = 'server/src/flux/api/fluxApi.generated.ts';

function usage(message) {
  if (message) console.error(message);
  console.error('usage: node scripts/derive-flux-api.mjs [--out FILE] [--flux RELEASE] INPUT... [--flux RELEASE INPUT...]...');
  process.exit(2);
}

// ---- reading inputs --------------------------------------------------------------------------------

function git(gitDir, ...args) {
  return execFileSync('git', [`--git-dir=${gitDir}`, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

/** `owner/name` of a git directory: its origin URL when it has one, else a mirror folder named `owner+name`. */
function repositoryName(gitDir) {
  let url = '';
  try {
    url = git(gitDir, 'config', '--get', 'remote.origin.url').trim();
  } catch {
    // No origin: fall back to the folder name below.
  }
  const fromUrl = /[/:]([^/:]+\/[^/]+?)(\.git)?$/.exec(url);
  if (fromUrl) return fromUrl[1];
  for (const part of path.resolve(gitDir).split(path.sep).reverse()) {
    const m = /^([^+]+)\+(.+)$/.exec(part);
    if (m) return `${m[1]}/${m[2]}`;
  }
  return path.resolve(gitDir);
}

/** Reads one input into `{ source, texts: [{ file, text }] }`. */
function readInput(input) {
  const gitInput = /^git:(.+)@([^@:]+):(.*)$/.exec(input);
  if (gitInput) {
    const [, gitDir, ref, inRepo] = gitInput;
    const commit = git(gitDir, 'rev-parse', `${ref}^{commit}`).trim();
    const files = git(gitDir, 'ls-tree', '-r', '--name-only', commit, '--', inRepo)
      .split('\n')
      .filter((f) => /\.ya?ml$/.test(f));
    const repo = repositoryName(gitDir);
    return {
      source: { repo, ref, commit, path: inRepo },
      texts: files.map((f) => ({ file: `${repo}@${ref}:${f}`, text: git(gitDir, 'show', `${commit}:${f}`) })),
    };
  }
  const stat = fs.statSync(input);
  const files = stat.isDirectory() ? walk(input) : [input];
  return { source: { path: input }, texts: files.map((f) => ({ file: f, text: fs.readFileSync(f, 'utf8') })) };
}

function walk(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

function crdsOf({ file, text }) {
  const out = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0].message}`);
    const value = doc.toJS();
    if (value?.kind === 'CustomResourceDefinition' && value.spec?.names?.kind) out.push(value);
  }
  return out;
}

// ---- compacting a schema ---------------------------------------------------------------------------

/**
 * The parts of an OpenAPI v3 schema a checker needs: types, enums, required fields, nested
 * properties, list items, maps, free-form subtrees, defaults. Descriptions, patterns and lengths are
 * dropped to keep the bundle small.
 */
function compact(schema) {
  const out = {};
  if (schema['x-kubernetes-int-or-string']) out.type = 'int-or-string';
  else if (schema.type) out.type = schema.type;
  else if (schema.anyOf?.some((s) => s.type === 'integer') && schema.anyOf.some((s) => s.type === 'string')) out.type = 'int-or-string';
  if (schema.enum) out.enum = schema.enum;
  if (schema.default !== undefined) out.default = schema.default;
  if (schema.required?.length) out.required = schema.required;
  if (schema.properties) {
    out.properties = {};
    for (const name of Object.keys(schema.properties)) out.properties[name] = compact(schema.properties[name]);
  }
  if (schema.items) out.items = compact(schema.items);
  // A schema whose unknown fields are kept, or whose keys are free, holds anything: no field under it is "unknown".
  if (schema['x-kubernetes-preserve-unknown-fields'] || schema.additionalProperties === true) out.freeForm = true;
  else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') out.mapOf = compact(schema.additionalProperties);
  return out;
}

// ---- collecting releases ---------------------------------------------------------------------------

function parseArgs(argv) {
  let out = DEFAULT_OUT;
  const releases = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--out') out = argv[++i] ?? usage('--out needs a file');
    else if (arg === '--flux') releases.push({ release: argv[++i] ?? usage('--flux needs a release'), inputs: [] });
    else if (arg.startsWith('--')) usage(`unknown option ${arg}`);
    else {
      if (releases.length === 0) releases.push({ release: 'release not given', inputs: [] });
      releases[releases.length - 1].inputs.push(arg);
    }
  }
  if (releases.length === 0 || releases.some((r) => r.inputs.length === 0)) usage('every release needs at least one input');
  return { out, releases };
}

function versionsOf(crd) {
  return crd.spec.versions.map((v) => ({
    name: v.name,
    served: v.served === true,
    storage: v.storage === true,
    deprecated: v.deprecated === true,
    ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
    schema: v.schema?.openAPIV3Schema,
  }));
}

/** Kubernetes' version priority: GA before beta before alpha, higher numbers first. */
function compareVersions(a, b) {
  const parse = (v) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [3, 0, 0, v];
    return [m[2] === 'alpha' ? 2 : m[2] === 'beta' ? 1 : 0, -Number(m[1]), -Number(m[3] ?? 0), v];
  };
  const [pa, pb] = [parse(a), parse(b)];
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return pa[i] - pb[i];
  return pa[3].localeCompare(pb[3]);
}

function derive(releases) {
  const sources = [];
  const perRelease = releases.map(({ release, inputs }) => {
    const crds = new Map();
    for (const input of inputs) {
      const { source, texts } = readInput(input);
      sources.push({ release, ...source });
      for (const t of texts) for (const crd of crdsOf(t)) crds.set(`${crd.spec.group}/${crd.spec.names.kind}`, crd);
    }
    return { release, crds };
  });
  const newest = perRelease[perRelease.length - 1];
  const kinds = {};
  for (const [key, crd] of [...newest.crds].sort(([a], [b]) => a.localeCompare(b))) {
    const versions = versionsOf(crd);
    const served = versions.filter((v) => v.served).sort((a, b) => compareVersions(a.name, b.name));
    const removed = [];
    // Walk older releases newest first, so each removed version records the last release that served it.
    for (const older of perRelease.slice(0, -1).reverse()) {
      const old = older.crds.get(key);
      if (!old) continue;
      for (const v of versionsOf(old)) {
        if (!v.served || served.some((s) => s.name === v.name) || removed.some((r) => r.version === v.name)) continue;
        removed.push({
          version: v.name,
          lastServedIn: older.release,
          ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
        });
      }
    }
    removed.sort((a, b) => compareVersions(a.version, b.version));
    // The engine keys kinds by name (FLUX_KINDS, FluxKind); two groups defining one name must be a loud change.
    if (kinds[crd.spec.names.kind])
      throw new Error(`${crd.spec.names.kind} is defined by both ${kinds[crd.spec.names.kind].group} and ${crd.spec.group}`);
    kinds[crd.spec.names.kind] = {
      group: crd.spec.group,
      kind: crd.spec.names.kind,
      plural: crd.spec.names.plural,
      scope: crd.spec.scope,
      storageVersion: versions.find((v) => v.storage)?.name,
      versions: served.map((v) => ({
        name: v.name,
        deprecated: v.deprecated,
        ...(v.deprecationWarning ? { deprecationWarning: v.deprecationWarning } : {}),
        spec: v.schema?.properties?.spec ? compact(v.schema.properties.spec) : { freeForm: true },
      })),
      removedVersions: removed,
    };
  }
  return { sources, kinds: Object.values(kinds), newestRelease: newest.release };
}

// ---- writing ---------------------------------------------------------------------------------------

/**
 * Emits the schemas once each: many subtrees repeat (secretRef, kubeConfig, sourceRef, the same spec
 * in two versions), so each distinct one becomes a constant that later uses refer to.
 */
function emit({ sources, kinds, newestRelease }, command) {
  const shared = new Map();
  const counts = new Map();
  const count = (schema) => {
    const key = JSON.stringify(schema);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (counts.get(key) > 1) return;
    for (const child of Object.values(schema.properties ?? {})) count(child);
    if (schema.items) count(schema.items);
    if (schema.mapOf) count(schema.mapOf);
  };
  for (const k of kinds) for (const v of k.versions) count(v.spec);
  const declarations = [];
  const render = (schema) => {
    const key = JSON.stringify(schema);
    const worthSharing = (counts.get(key) ?? 0) > 1 && key.length > 40;
    if (worthSharing && shared.has(key)) return shared.get(key);
    const parts = [];
    for (const [field, value] of Object.entries(schema)) {
      if (field === 'properties')
        parts.push(
          `properties: { ${Object.entries(value)
            .map(([name, child]) => `${JSON.stringify(name)}: ${render(child)}`)
            .join(', ')} }`,
        );
      else if (field === 'items' || field === 'mapOf') parts.push(`${field}: ${render(value)}`);
      else parts.push(`${field}: ${JSON.stringify(value)}`);
    }
    const text = `{ ${parts.join(', ')} }`;
    if (!worthSharing) return text;
    const name = `s${shared.size}`;
    shared.set(key, name);
    declarations.push(`const ${name}: FieldSchema = ${text};`);
    return name;
  };
  const kindTexts = kinds.map((k) => {
    const versions = k.versions.map(
      (v) =>
        `{ name: ${JSON.stringify(v.name)}, deprecated: ${v.deprecated}${v.deprecationWarning ? `, deprecationWarning: ${JSON.stringify(v.deprecationWarning)}` : ''}, spec: ${render(v.spec)} }`,
    );
    return `  {\n    group: ${JSON.stringify(k.group)},\n    kind: ${JSON.stringify(k.kind)},\n    plural: ${JSON.stringify(k.plural)},\n    scope: ${JSON.stringify(k.scope)},\n    storageVersion: ${JSON.stringify(k.storageVersion)},\n    versions: [\n      ${versions.join(',\n      ')},\n    ],\n    removedVersions: ${JSON.stringify(k.removedVersions)},\n  }`;
  });
  const sourceLines = sources.map((s) =>
    s.repo ? `//   Flux ${s.release}: ${s.repo} ${s.ref} (${s.commit}) ${s.path}` : `//   Flux ${s.release}: ${s.path}`,
  );
  return [
    '// GENERATED by scripts/derive-flux-api.mjs from the CustomResourceDefinitions of Flux. Do not edit by hand.',
    `// Kinds, versions and schemas are the newest release's (Flux ${newestRelease}); older releases contribute only the versions they served that it no longer does.`,
    '// Derived from:',
    ...sourceLines,
    '// Regenerate (see docs/flux-api.md):',
    `//   ${command}`,
    "import type { FluxApiKind, FieldSchema } from './types';",
    '',
    `export const FLUX_RELEASE = ${JSON.stringify(newestRelease)};`,
    '',
    '/** The kind names Flux defines (unique across its API groups), for code that switches on kind. */',
    `export type FluxApiKindName = ${[...new Set(kinds.map((k) => k.kind))]
      .sort()
      .map((k) => JSON.stringify(k))
      .join(' | ')};`,
    '',
    ...declarations,
    '',
    'export const FLUX_API_KINDS: readonly FluxApiKind[] = [',
    kindTexts.join(',\n') + ',',
    '];',
    '',
  ].join('\n');
}

const argv = process.argv.slice(2);
const { out, releases } = parseArgs(argv);
const derived = derive(releases);
const command = ['node scripts/derive-flux-api.mjs', ...argv.map((a) => (/^[\w@:./+=-]+$/.test(a) ? a : JSON.stringify(a)))].join(' ');
const text = emit(derived, command);
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, text);
console.log(`${out}: ${derived.kinds.length} kinds, ${text.length} bytes`);
