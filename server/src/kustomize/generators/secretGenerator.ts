// secretGenerator: one entry becomes one Secret; every value is base64 in `data`, `type` defaults
// to Opaque.
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

export function generateSecret(input: GeneratorInput): GeneratorOutput {
  const name = entryName(input.args);
  // kustomize's own wording, "configmap" included.
  if (name === '') return { problems: [problemAt(input, 'a configmap must have a name', 'generator-missing-name')] };
  const loaded = loadKeyValues(input);
  if (loaded.problems.length > 0) return { problems: loaded.problems };
  const data: JsonObject = {};
  for (const pair of loaded.pairs) {
    if (hasYamlForbiddenCharacter(pair.key)) {
      return {
        problems: [problemAt(input, 'builtin SecretGenerator marshal: yaml: control characters are not allowed', 'generator-error')],
      };
    }
    setField(data, pair.key, wrappedBase64(pair.bytes ?? Buffer.from(pair.value, 'utf8')));
  }
  const type = typeof input.args.type === 'string' && input.args.type !== '' ? input.args.type : 'Opaque';
  const object: JsonObject = { apiVersion: 'v1', kind: 'Secret', type, metadata: { name }, data };
  const resource = makeResource(object, {
    file: input.origin.file,
    documentIndex: -1,
    range: input.origin.range,
    generatedBy: input.origin,
  });
  finishGenerated(input, resource, mergeGeneratorOptions(input.args.options, input.globalOptions));
  return { resource, problems: [] };
}
