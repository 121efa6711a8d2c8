// What the client answers when the server pulls its settings: in an untrusted workspace helm is off, whatever
// the user's settings say, so the server never runs helm there; trusted, the settings pass unchanged.
import * as assert from 'assert';
import { withHelmTrust } from '../../../client/src/helmTrust';

const SETTINGS = { promotionOrder: ['dev', 'prod'], helm: { enabled: true, path: '/opt/helm', chartCache: '' } };

describe('withHelmTrust (the settings the server pulls)', () => {
  it('turns helm off in an untrusted workspace and keeps the other settings', () => {
    assert.deepStrictEqual(withHelmTrust(['fluxEnvironments'], [SETTINGS], false), [
      { promotionOrder: ['dev', 'prod'], helm: { enabled: false, path: '/opt/helm', chartCache: '' } },
    ]);
  });

  it('also when the server asks for the helm section or the setting alone', () => {
    assert.deepStrictEqual(withHelmTrust(['fluxEnvironments.helm', 'fluxEnvironments.helm.enabled'], [SETTINGS.helm, true], false), [
      { enabled: false, path: '/opt/helm', chartCache: '' },
      false,
    ]);
  });

  it('passes the settings unchanged in a trusted workspace', () => {
    assert.deepStrictEqual(withHelmTrust(['fluxEnvironments'], [SETTINGS], true), [SETTINGS]);
  });

  it('leaves other sections alone', () => {
    assert.deepStrictEqual(withHelmTrust(['editor'], [{ tabSize: 2 }], false), [{ tabSize: 2 }]);
  });
});
