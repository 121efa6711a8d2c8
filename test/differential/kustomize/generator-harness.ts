// Test helper: a miniature build of only the generator fields of a kustomization, so generator
// tests can compare our objects (hash included) with `kubectl kustomize` on the same folder.
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { generateConfigMap } from '../../../server/src/kustomize/generators/configMapGenerator';
import type { GeneratorInput } from '../../../server/src/kustomize/generators/common';
import { generateSecret } from '../../../server/src/kustomize/generators/secretGenerator';
import { hashSuffixTransformer } from '../../../server/src/kustomize/transformers/hashSuffix';
import type { JsonObject, Origin, Problem, Resource } from '../../../server/src/kustomize/types';

export function diskInput(dir: string, args: JsonObject, globalOptions?: JsonObject): GeneratorInput {
  const kustomizationFile = path.join(dir, 'kustomization.yaml');
  const origin: Origin = { kind: 'generator', step: `configMapGenerator[${String(args.name)}]`, file: kustomizationFile };
  const refuse = (message: string): { problem: Problem } => ({
    problem: { code: 'load-restriction', severity: 'error', message, file: kustomizationFile },
  });
  return {
    origin,
    args,
    globalOptions,
    readFile(rel) {
      const file = path.resolve(dir, rel);
      if (file !== dir && !file.startsWith(dir + path.sep)) return refuse(`security; file '${file}' is not in or below '${dir}'`);
      if (!fs.existsSync(file) || !fs.statSync(file).isFile()) return refuse(`evalsymlink failure on '${file}'`);
      const bytes = fs.readFileSync(file);
      return { text: bytes.toString('utf8'), file, bytes };
    },
    listDir(rel) {
      const p = path.resolve(dir, rel);
      return fs.existsSync(p) && fs.statSync(p).isDirectory() ? fs.readdirSync(p) : undefined;
    },
  };
}

/** Runs every generator entry of `<dir>/kustomization.yaml`, then the hash suffix. */
export function buildGenerators(dir: string): { objects: JsonObject[]; problems: Problem[] } {
  const k = parse(fs.readFileSync(path.join(dir, 'kustomization.yaml'), 'utf8')) as JsonObject;
  const problems: Problem[] = [];
  const resources: Resource[] = [];
  const globalOptions = (k.generatorOptions ?? undefined) as JsonObject | undefined;
  for (const entry of (k.configMapGenerator ?? []) as JsonObject[]) {
    const out = generateConfigMap(diskInput(dir, entry, globalOptions));
    problems.push(...out.problems);
    if (out.resource) resources.push(out.resource);
  }
  for (const entry of (k.secretGenerator ?? []) as JsonObject[]) {
    const out = generateSecret(diskInput(dir, entry, globalOptions));
    problems.push(...out.problems);
    if (out.resource) resources.push(out.resource);
  }
  const ctx = { kustomizationFile: path.join(dir, 'kustomization.yaml'), problems };
  const hashed = hashSuffixTransformer(resources, { origin: { kind: 'transformer', step: 'hash', file: ctx.kustomizationFile } }, ctx);
  return { objects: hashed.map((r) => r.object), problems };
}

export function byKindAndName(objects: JsonObject[]): JsonObject[] {
  const key = (o: JsonObject) => `${String(o.kind)}/${String((o.metadata as JsonObject).name)}`;
  return objects.slice().sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
