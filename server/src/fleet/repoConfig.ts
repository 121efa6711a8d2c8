// The repository's `.fluxenv.yaml`, the parts the fleet layer needs: `substitutions:`, local stand-ins for the
// variables of `postBuild.substituteFrom` ConfigMaps and Secrets that exist only on the cluster (created
// outside git), per environment:
//
//   substitutions:
//     production:
//       values: { CLUSTER_DOMAIN: prod.example.com }
//       files: [clusters/production/vars.env, clusters/production/vars.yaml]
//       secrets: { API_TOKEN: dummy }          # stand-ins for a Secret's keys: masked wherever shown
//       secretFiles: [clusters/production/secrets.env]
//
// Files are `KEY=value` lines (.env; `#` comments, optional quotes) or a YAML map of scalars; later entries win
// (files, values, secretFiles, secrets, in that order). The stand-ins are read through the index's file system (open buffers count) and only
// where a substituteFrom object is missing; the repository's own values always win (flux/substitute.ts).
// `strictSubstitution: false` turns off strict substitution for clusters whose kustomize-controller runs
// without it (it is on by default since v1.9). `rules:` is the rule layer's (rules/run.ts).
import * as path from 'path';
import { parseDocument, isMap, isScalar, LineCounter } from 'yaml';
import { isObject } from '../kustomize/resource';
import type { FileSystem } from '../kustomize/fs';
import type { Problem, Range } from '../kustomize/types';
import type { ParsedFile } from '../kustomize/yaml/parse';
import type { StandInVars } from '../flux/substitute';

export const REPO_CONFIG_FILE = '.fluxenv.yaml';

export interface EnvironmentStandIns extends StandInVars {
  /** Variables standing in for a Secret's keys. */
  secret: Set<string>;
  /** Files read: .fluxenv.yaml and the files it lists (existing or not), so an edit of any re-renders. */
  files: string[];
}

export interface StandInConfig {
  byEnvironment: Map<string, EnvironmentStandIns>;
  /**
   * `strictSubstitution: false` for clusters whose kustomize-controller runs without the
   * StrictPostBuildSubstitutions feature gate (before v1.9, or turned off): unset variables become "".
   */
  strictSubstitution: boolean;
  /** Whether `.fluxenv.yaml` says so; else the fleet's declared Flux version decides (fleet/fluxVersion.ts). */
  strictSubstitutionWritten: boolean;
  problems: Problem[];
}

const MAX_STAND_IN_BYTES = 1024 * 1024;

export function readStandIns(root: string, fs: FileSystem, parsed: (file: string) => ParsedFile | undefined): StandInConfig {
  const configFile = path.posix.join(root, REPO_CONFIG_FILE);
  const out: StandInConfig = { byEnvironment: new Map(), strictSubstitution: true, strictSubstitutionWritten: false, problems: [] };
  const doc = parsed(configFile)?.documents[0];
  const strict = doc && isObject(doc.value) ? doc.value.strictSubstitution : undefined;
  if (typeof strict === 'boolean') out.strictSubstitutionWritten = true;
  if (strict === false) out.strictSubstitution = false;
  else if (strict !== undefined && strict !== true && doc)
    out.problems.push({
      code: 'invalid-config',
      severity: 'error',
      message: `strictSubstitution in ${REPO_CONFIG_FILE} must be true or false`,
      file: configFile,
      range: doc.locate(['strictSubstitution']),
    });
  const section = doc && isObject(doc.value) ? doc.value.substitutions : undefined;
  if (section === undefined || section === null || !doc) return out;
  const problem = (message: string, at: Array<string | number>, key = false) =>
    out.problems.push({
      code: 'invalid-config',
      severity: 'error',
      message,
      file: configFile,
      range: doc.locate(at, key ? { key } : undefined),
    });
  if (!isObject(section)) {
    problem(`'substitutions' in ${REPO_CONFIG_FILE} must map environment names to { values, files }`, ['substitutions']);
    return out;
  }
  for (const [env, entry] of Object.entries(section)) {
    const vars = new Map<string, string>();
    const origins = new Map<string, { file: string; range?: Range }>();
    const files = [configFile];
    if (!isObject(entry)) {
      problem(`substitutions.${env} in ${REPO_CONFIG_FILE} must be a map with values, files, secrets and/or secretFiles`, [
        'substitutions',
        env,
      ]);
      continue;
    }
    const secret = new Set<string>();
    const put = (key: string, value: string, origin: { file: string; range?: Range }, isSecret: boolean) => {
      vars.set(key, value);
      origins.set(key, origin);
      if (isSecret) secret.add(key);
      else secret.delete(key);
    };
    const readFiles = (field: 'files' | 'secretFiles') => {
      const listed = entry[field] ?? [];
      if (!Array.isArray(listed) || listed.some((f) => typeof f !== 'string')) {
        problem(`substitutions.${env}.${field} must be a list of file paths (relative to the repository root)`, [
          'substitutions',
          env,
          field,
        ]);
        return;
      }
      listed.forEach((rel, i) => {
        const file = path.posix.resolve(root, rel as string);
        files.push(file);
        const at = ['substitutions', env, field, i];
        if (!file.startsWith(root + '/')) return problem(`substitutions.${env}.${field}: ${String(rel)} is outside the repository`, at);
        const text = fs.kind(file) === 'file' ? fs.readFile(file) : undefined;
        if (text === undefined) return problem(`substitutions.${env}.${field}: ${String(rel)} does not exist`, at);
        if (text.length > MAX_STAND_IN_BYTES)
          return problem(`substitutions.${env}.${field}: ${String(rel)} is larger than 1 MiB; not read`, at);
        const read = /\.ya?ml$/i.test(file) ? readYamlVars(text) : readEnvVars(text);
        if (read.error) problem(`substitutions.${env}.${field}: ${String(rel)}: ${read.error}`, at);
        for (const [key, v] of read.vars) put(key, v.value, { file, range: v.range }, field === 'secretFiles');
      });
    };
    const readValues = (field: 'values' | 'secrets') => {
      const values = entry[field] ?? {};
      if (!isObject(values))
        return problem(`substitutions.${env}.${field} must map variable names to values`, ['substitutions', env, field]);
      for (const [key, value] of Object.entries(values)) {
        if (value === null || typeof value === 'object') {
          problem(`substitutions.${env}.${field}.${key} must be a string, number or boolean`, ['substitutions', env, field, key]);
          continue;
        }
        const range = doc.locate(['substitutions', env, field, key], { key: true });
        put(key, String(value), { file: configFile, ...(range ? { range } : {}) }, field === 'secrets');
      }
    };
    readFiles('files');
    readValues('values');
    readFiles('secretFiles');
    readValues('secrets');
    out.byEnvironment.set(env, { vars, origins, files, secret });
  }
  return out;
}

type ReadVars = { vars: Map<string, { value: string; range: Range }>; error?: string };

function lineRange(line: number, length: number): Range {
  return { start: { line, character: 0 }, end: { line, character: length } };
}

/** `KEY=value` lines, as Flux's own .env handling (and docker's) reads them: comments, blank lines, `export`, quotes. */
export function readEnvVars(text: string): ReadVars {
  const vars: ReadVars['vars'] = new Map();
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim().replace(/^export\s+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { vars, error: `line ${i + 1} is not KEY=value` };
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))))
      value = value.slice(1, -1);
    vars.set(line.slice(0, eq).trim(), { value, range: lineRange(i, raw.length) });
  }
  return { vars };
}

/** A YAML map of scalars (`KEY: value`). */
export function readYamlVars(text: string): ReadVars {
  const vars: ReadVars['vars'] = new Map();
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: false });
  if (doc.errors.length > 0) return { vars, error: doc.errors[0].message.split('\n')[0] };
  const root = doc.contents;
  if (root === null) return { vars };
  if (!isMap(root)) return { vars, error: 'must be a map of variable names to values' };
  for (const pair of root.items) {
    if (!isScalar(pair.key) || !isScalar(pair.value)) return { vars, error: 'every entry must be KEY: scalar value' };
    const start = counter.linePos(pair.key.range?.[0] ?? 0);
    vars.set(String(pair.key.value), {
      value: String(pair.value.value),
      range: lineRange(start.line - 1, String(pair.key.value).length + start.col - 1),
    });
  }
  return { vars };
}
