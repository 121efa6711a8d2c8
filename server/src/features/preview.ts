// "Preview Rendered…": an environment, a Flux Kustomization or any kustomization folder as the YAML the
// cluster gets. Folders print exactly what `kubectl kustomize` prints; environments print the union in
// dependsOn order, each Kustomization's objects headed by a `# Kustomization: ns/name` comment. Secret
// values are masked, problems are listed for the top of the preview, and every object's line is given
// so that the preview can be navigated. Reads the index's cached renders only.
import type { HelmRenderSettings, RenderedObjectSummary, RenderResult, RenderTarget } from '../protocol';
import { resIdOf } from '../kustomize/resource';
import { documentAt } from '../kustomize/yaml/parse';
import { fileOfUri } from './cursor';
import { fileUri } from './diagnostics';
import { indexOfFile, previewModel, ZERO_RANGE, type Indexes, type PreviewObject } from './renderedText';
import { sourceRangeOf } from './targets';
import { valuesPreview } from './valuesPreview';
import type { FleetIndex } from '../fleet/fleetIndex';

export interface PreviewParams {
  target: RenderTarget;
  /** Show the values of plain (not SOPS-encrypted) Secrets; a user setting, off by default. */
  revealSecrets?: boolean;
  /** Render HelmRelease charts at hand (values previews); only for trusted workspaces with helm enabled. */
  helm?: HelmRenderSettings;
}

/**
 * The Flux Kustomization of a file to preview (FluxKustomizationTargetRequest): the document holding the
 * position (the cursor), else the file's first Flux Kustomization; null when the file has none.
 */
export function fluxKustomizationTarget(
  indexes: Indexes,
  params: { uri: string; position?: { line: number; character: number } },
): RenderTarget | null {
  const file = fileOfUri(params.uri);
  const index = file ? indexOfFile(indexes, file) : undefined;
  if (!file || !index) return null;
  const documents = index
    .fluxObjects()
    .list.filter((o) => o.file === file && o.object.kind === 'Kustomization')
    .map((o) => o.documentIndex);
  if (documents.length === 0) return null;
  const parsed = params.position ? index.parsed(file) : undefined;
  const atPosition = parsed && params.position ? documentAt(parsed, params.position) : undefined;
  return { kind: 'fluxKustomization', uri: params.uri, documentIndex: atPosition ? atPosition.index : Math.min(...documents) };
}

export function preview(indexes: Indexes, params: PreviewParams): RenderResult {
  try {
    if (params.target.kind === 'helmReleaseValues')
      return valuesPreview(indexes, params.target, params.revealSecrets ?? false, params.helm);
    const model = previewModel(indexes, params.target, params.revealSecrets ?? false);
    if (!model) return nothing(params.target, 'Nothing to render here: the environment, Kustomization or folder was not found.');
    return {
      yaml: model.yaml,
      title: model.title,
      problems: model.problems.map((p) => ({
        message: p.message,
        severity: p.severity,
        location: { uri: fileUri(p.file), range: p.range ?? ZERO_RANGE },
      })),
      objects: model.objects.map((o) => summary(model.index, o)),
    };
  } catch (error) {
    // A renderer bug shows as a problem in the preview rather than a failed request.
    return nothing(params.target, `Rendering failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function summary(index: FleetIndex, o: PreviewObject): RenderedObjectSummary {
  const id = resIdOf(o.resource.object);
  const source = sourceRangeOf(index, o.resource);
  return {
    apiVersion: typeof o.resource.object.apiVersion === 'string' ? o.resource.object.apiVersion : '',
    kind: id.kind,
    namespace: id.namespace,
    name: id.name,
    source: source ? { uri: fileUri(source.file), range: source.range } : { uri: fileUri(o.resource.source.file), range: ZERO_RANGE },
    ...(o.appliedBy ? { appliedBy: o.appliedBy } : {}),
    line: o.line,
  };
}

function nothing(target: RenderTarget, message: string): RenderResult {
  const title = target.kind === 'environment' ? `${target.name} (rendered environment)` : 'Rendered';
  return { yaml: `# ${message}\n`, title, problems: [{ message, severity: 'error' }], objects: [] };
}
