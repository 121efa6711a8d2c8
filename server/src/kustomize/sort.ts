// Output order. kustomize's legacy order puts kinds others depend on first (Namespace, CRDs, RBAC, config)
// and webhooks last, then orders by group/version/kind, namespace and name; `fifo` keeps load order.
import { resId } from './resource';
import type { ResId, Resource } from './types';

export type SortOptions = { order: 'fifo' } | { order: 'legacy'; orderFirst?: string[]; orderLast?: string[] };

export const DEFAULT_ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
export const DEFAULT_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkString(id: ResId): string {
  return [id.group || '~G', id.version || '~V', id.kind || '~K'].join('_');
}

// UTF-16 unit order equals UTF-8 byte order except where surrogates meet U+E000..U+FFFF; strings
// without units from U+D800 up compare correctly as they are, without encoding each of them twice.
const MAY_ORDER_DIFFERENTLY = /[\uD800-\uFFFF]/;

/** Go compares strings by bytes; JavaScript's `<` compares UTF-16 units, which differs outside the BMP. */
function compareBytes(a: string, b: string): number {
  if (a === b) return 0;
  if (!MAY_ORDER_DIFFERENTLY.test(a) && !MAY_ORDER_DIFFERENTLY.test(b)) return a < b ? -1 : 1;
  const ba = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  return Buffer.compare(ba, bb);
}

export function sortResources(resources: Resource[], options: SortOptions): Resource[] {
  if (options.order === 'fifo') return resources;
  const first = options.orderFirst ?? DEFAULT_ORDER_FIRST;
  const last = options.orderLast ?? DEFAULT_ORDER_LAST;
  const rank = new Map<string, number>();
  first.forEach((k, i) => rank.set(k, -first.length + i));
  last.forEach((k, i) => rank.set(k, 1 + i));
  const keyed = resources.map((r) => {
    const id = resId(r);
    const gvk = gvkString(id);
    return { r, rank: rank.get(id.kind) ?? 0, gvk, rest: [gvk, id.namespace || '~X', id.name || '~N'].join('|') };
  });
  keyed.sort((a, b) => {
    if (a.gvk !== b.gvk) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      return compareBytes(a.gvk, b.gvk);
    }
    return compareBytes(a.rest, b.rest);
  });
  return keyed.map((k) => k.r);
}
