import { targetnamespaceMissing } from '../../../server/src/rules/targetnamespace-missing';
import { ruleTester } from '../../ruleTester';
import { configMap, fluxKs, folder, namespace } from './fluxGraphFixtures';
import { fleetInfraFiles } from './overlayRenderFixtures';

const apps = folder('apps', { 'cm.yaml': configMap('web-config') });
const file = 'clusters/prod/apps.yaml';

ruleTester.run(targetnamespaceMissing, {
  valid: [
    { name: 'the seed fleet', files: fleetInfraFiles() },
    {
      name: 'the Kustomization itself creates the namespace',
      files: {
        ...folder('apps', { 'ns.yaml': namespace('shop'), 'cm.yaml': configMap('web-config') }),
        [file]: fluxKs('apps', '  targetNamespace: shop\n'),
      },
    },
    { name: 'a namespace every cluster has', files: { ...apps, [file]: fluxKs('apps', '  targetNamespace: kube-system\n') } },
    {
      name: 'a namespace created further down the dependsOn chain',
      files: {
        ...apps,
        ...folder('namespaces', { 'shop.yaml': namespace('shop') }),
        ...folder('middle', { 'cm.yaml': configMap('m', 'default') }),
        'clusters/prod/namespaces.yaml': fluxKs('namespaces'),
        'clusters/prod/middle.yaml': fluxKs('middle', '  dependsOn:\n  - name: namespaces\n'),
        [file]: fluxKs('apps', '  targetNamespace: shop\n  dependsOn:\n  - name: middle\n'),
      },
    },
  ],
  invalid: [
    {
      name: 'a namespace nobody creates, at the value, without a fix',
      files: { ...apps, [file]: fluxKs('apps', '  targetNamespace: shop\n') },
      errors: [
        {
          file,
          line: 13,
          severity: 'warning',
          range: { start: { line: 12, character: 19 }, end: { line: 12, character: 23 } },
          message: /targetNamespace "shop" is not created by "apps" or any Kustomization it depends on.*Add a Namespace shop/,
        },
      ],
      output: null,
    },
    {
      name: 'a namespace created by a Kustomization it does not depend on; the fix adds the dependsOn',
      files: {
        ...apps,
        ...folder('namespaces', { 'shop.yaml': namespace('shop') }),
        'clusters/prod/namespaces.yaml': fluxKs('namespaces'),
        [file]: fluxKs('apps', '  targetNamespace: shop\n'),
      },
      errors: [{ file, line: 13, message: /created by Kustomization "namespaces", which "apps" does not depend on/ }],
      output: { [file]: /\n {2}targetNamespace: shop\n {2}dependsOn:\n {4}- name: namespaces\n$/ },
    },
  ],
});
