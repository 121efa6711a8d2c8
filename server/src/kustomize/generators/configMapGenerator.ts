// configMapGenerator: one entry of the kustomization becomes one ConfigMap. UTF-8 content goes to
// `data`, anything else to `binaryData` (base64), as kustomize does.
import { makeResource, setField } from '../resource';
import type { JsonObject } from '../types';
import {
  entryName,
  finishGenerated,
  hasYamlForbiddenCharacter,
  loadKeyValues,
  mergeGeneratorOptions,
  problemAt,
  wrappedBase64,
} from './common';
import type { GeneratorInput, GeneratorOutput } from './common';

export type { GeneratorInput, GeneratorOutput } from './common';
export { mergeGenerated } from './common';

export function generateConfigMap(input: GeneratorInput): GeneratorOutput {
  const name = entryName(input.args);
  if (name === '') return { problems: [problemAt(input, 'a configmap must have a name', 'generator-missing-name')] };
  const loaded = loadKeyValues(input);
  if (loaded.problems.length > 0) return { problems: loaded.problems };
  const data: JsonObject = {};
  const binaryData: JsonObject = {};
  for (const pair of loaded.pairs) {
    if (hasYamlForbiddenCharacter(pair.key) || (!pair.bytes && hasYamlForbiddenCharacter(pair.value))) {
      return {
        problems: [problemAt(input, 'builtin ConfigMapGenerator marshal: yaml: control characters are not allowed', 'generator-error')],
      };
    }
    if (pair.bytes) setField(binaryData, pair.key, wrappedBase64(pair.bytes));
    else setField(data, pair.key, pair.value);
  }
  const object: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name } };
  // An empty ConfigMap has no `data` at all (unlike a Secret's `data: {}`), which changes its hash.
  if (Object.keys(data).length > 0) object.data = data;
  if (Object.keys(binaryData).length > 0) object.binaryData = binaryData;
  const resource = makeResource(object, {
    file: input.origin.file,
    documentIndex: -1,
    range: input.origin.range,
    generatedBy: input.origin,
  });
  finishGenerated(input, resource, mergeGeneratorOptions(input.args.options, input.globalOptions));
  return { resource, problems: [] };
}
