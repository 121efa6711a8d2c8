// The language server pulls its settings (workspace/configuration), fluxEnvironments.helm among them: with
// helm enabled it runs `helm template` for kustomize `helmCharts`. VS Code ignores a workspace's own value of
// a restricted setting in an untrusted folder, but a user-level `helm.enabled` would still reach the server:
// the client turns it off there, so no program runs until the folder is trusted. Pure, so it is unit-tested.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The configuration answer for `sections` (one item each), with helm off unless the workspace is trusted. */
export function withHelmTrust(sections: ReadonlyArray<string | undefined>, items: readonly unknown[], trusted: boolean): unknown[] {
  if (trusted) return [...items];
  return items.map((item, i) => {
    const section = sections[i];
    if (section === 'fluxEnvironments' && isRecord(item))
      return { ...item, helm: { ...(isRecord(item.helm) ? item.helm : {}), enabled: false } };
    if (section === 'fluxEnvironments.helm' && isRecord(item)) return { ...item, enabled: false };
    if (section === 'fluxEnvironments.helm.enabled') return false;
    return item;
  });
}
