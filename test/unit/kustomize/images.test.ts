import * as assert from 'assert';
import { imagesTransformer, isImageMatched, splitImage } from '../../../server/src/kustomize/transformers/images';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { runOurs } from './transformer-harness';

const pod = (...images: Array<string | undefined>) => `apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
${images.map((img, i) => `  - name: c${i}${img === undefined ? '' : `\n    image: "${img}"`}`).join('\n')}
`;

describe('images', () => {
  describe('unit', () => {
    it('splits references like kustomize', () => {
      assert.deepStrictEqual(splitImage('nginx'), { name: 'nginx', tag: '', digest: '' });
      assert.deepStrictEqual(splitImage('localhost:5000/nginx:2'), { name: 'localhost:5000/nginx', tag: '2', digest: '' });
      assert.deepStrictEqual(splitImage('nginx:1@sha256:x'), { name: 'nginx', tag: '1', digest: 'sha256:x' });
      assert.deepStrictEqual(splitImage('nginx@sha256:x'), { name: 'nginx', tag: '', digest: 'sha256:x' });
    });
    it('matches names like kustomize', () => {
      assert.ok(isImageMatched('nginx:1.0', 'nginx'));
      assert.ok(isImageMatched('nginx@sha256:abc', 'nginx'));
      assert.ok(!isImageMatched('docker.io/nginx', 'nginx'));
      assert.ok(!isImageMatched('nginx', 'nginx('));
    });
    it('records the images step as the origin of each image it sets', () => {
      const out = runOurs(imagesTransformer, pod('nginx', 'redis'), { images: [{ name: 'nginx', newTag: 'x' }] });
      const r = out.resources[0];
      assert.strictEqual(r.setBy.get('spec/containers/0/image')?.step, 'images[nginx]');
      assert.strictEqual(r.setBy.has('spec/containers/1/image'), false);
    });
    it('reports an invalid pattern instead of crashing', () => {
      const out = runOurs(imagesTransformer, pod('nginx'), { images: [{ name: 'nginx(', newTag: 'x' }] });
      assert.strictEqual(out.problems.length, 1);
      assert.strictEqual(((out.objects[0].spec as JsonObject).containers as JsonObject[])[0].image, 'nginx');
    });
    it('applies extra field specs from configurations', () => {
      const text = 'apiVersion: example.com/v1\nkind: Thing\nmetadata: {name: t}\nspec: {runner: {image: "nginx:1"}}\n';
      const out = runOurs(imagesTransformer, text, {
        images: [{ name: 'nginx', newTag: '2' }],
        fieldSpecs: [{ kind: 'Thing', path: 'spec/runner/image' }],
      });
      assert.strictEqual(((out.objects[0].spec as JsonObject).runner as JsonObject).image, 'nginx:2');
    });
  });
});
