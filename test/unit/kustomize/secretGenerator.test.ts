import * as assert from 'assert';
import { generateSecret } from '../../../server/src/kustomize/generators/secretGenerator';

describe('secretGenerator', () => {
  it('defaults the type to Opaque and records the generator', () => {
    const out = generateSecret({
      origin: { kind: 'generator', step: 'secretGenerator[s]', file: '/k/kustomization.yaml' },
      args: { name: 's', literals: ['a=1'], behavior: 'replace' },
      readFile: () => ({ problem: { code: 'x', severity: 'error', message: 'no', file: '/k' } }),
      listDir: () => undefined,
    });
    assert.deepStrictEqual(out.resource?.object, {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'Opaque',
      metadata: { name: 's' },
      data: { a: 'MQ==' },
    });
    assert.deepStrictEqual(out.resource?.generated, { behavior: 'replace', appendHash: true });
    assert.strictEqual(out.resource?.source.generatedBy?.step, 'secretGenerator[s]');
  });
});
