// Document links: every local path of a kustomization (resources, bases, components, patch files,
// generator sources, configurations, crds, replacement files) and a Flux Kustomization's spec.path and
// components, leading to the file or to the folder's kustomization file. Remote references and paths
// leaving the repository get no link: they are never read.
import type { DocumentLink, DocumentLinkParams } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { fileOfUri } from './cursor';
import { fileUri } from './diagnostics';
import { pathLinks } from './targets';

export function documentLinks(index: FleetIndex, params: DocumentLinkParams): DocumentLink[] {
  try {
    const file = fileOfUri(params.textDocument.uri);
    if (!file) return [];
    return pathLinks(index, file).map((link) => ({ range: link.range, target: fileUri(link.target) }));
  } catch {
    return [];
  }
}
