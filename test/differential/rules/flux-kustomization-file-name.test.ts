import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { fluxKustomizationFileName } from '../../../server/src/rules/flux-kustomization-file-name';
import { requireKubectl } from '../kubectl-oracle';
import { makeFleet, type Fleet } from '../../unit/rules/harness';

const fluxKs = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;

describe('rule flux-kustomization-file-name', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('quotes the error kubectl kustomize gives for such a folder', function () {
    requireKubectl(this, "the comparison with kubectl's error");
    fleet = makeFleet({ 'clusters/prod/kustomization.yaml': fluxKs });
    let stderr = '';
    try {
      execFileSync('kubectl', ['kustomize', path.join(fleet.root, 'clusters/prod')], { stdio: 'pipe' });
    } catch (e) {
      stderr = String((e as { stderr?: Buffer }).stderr);
    }
    assert.match(stderr, /invalid Kustomization: json: unknown field \\?"spec\\?"/);
    const [d] = fleet.check(fluxKustomizationFileName);
    assert.match(d.message, /invalid Kustomization: json: unknown field "spec"/);
  });
});
