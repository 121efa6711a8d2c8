// Typed access to the `fluxEnvironments.*` settings the client itself reads. The server pulls its own
// (promotionOrder, rules) through workspace/configuration; this file only covers what the editor decides.
import * as vscode from 'vscode';
import type { HelmRenderSettings } from '../../server/src/protocol';

export const SECTION = 'fluxEnvironments';

export type RendererKind = 'builtin' | 'kubectl' | 'kustomize';

export interface ClientConfig {
  /** Who renders folder previews: the built-in renderer or an external binary (trusted workspaces only). */
  renderer: RendererKind;
  /** Path of the external binary; empty means the renderer's name looked up on PATH. */
  rendererPath: string;
  /** Seconds an external renderer may run before it is stopped. */
  rendererTimeoutSeconds: number;
  revealSecrets: boolean;
  /** fluxEnvironments.helm.*: render charts at hand with helm (sent to the server only in trusted workspaces). */
  helm: { enabled: boolean; path: string; chartCache: string };
}

const RENDERERS: readonly RendererKind[] = ['builtin', 'kubectl', 'kustomize'];

export function readConfig(): ClientConfig {
  const settings = vscode.workspace.getConfiguration(SECTION);
  const renderer = settings.get<string>('renderer', 'builtin');
  const timeout = settings.get<number>('rendererTimeoutSeconds', 30);
  return {
    renderer: (RENDERERS as readonly string[]).includes(renderer) ? (renderer as RendererKind) : 'builtin',
    rendererPath: settings.get<string>('rendererPath', '').trim(),
    rendererTimeoutSeconds: typeof timeout === 'number' && timeout > 0 ? Math.min(timeout, 600) : 30,
    revealSecrets: settings.get<boolean>('preview.revealSecrets', false) === true,
    helm: {
      enabled: settings.get<boolean>('helm.enabled', false) === true,
      path: settings.get<string>('helm.path', 'helm').trim() || 'helm',
      chartCache: settings.get<string>('helm.chartCache', '').trim(),
    },
  };
}

/** Fires when any setting the client reads changes. */
export function onConfigChanged(listener: () => void): vscode.Disposable {
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration(SECTION)) listener();
  });
}

/** What RenderRequest and CompareRequest carry for helm: only when enabled and the workspace is trusted. */
export function helmSettings(config: ClientConfig, trusted: boolean): HelmRenderSettings | undefined {
  if (!config.helm.enabled || !trusted) return undefined;
  return { path: config.helm.path, ...(config.helm.chartCache ? { chartCache: config.helm.chartCache } : {}) };
}
