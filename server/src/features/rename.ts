// Rename a Flux Kustomization (from its metadata.name or from a dependsOn entry naming it): the name and
// every dependsOn entry naming it in its clusters change together. A name Kubernetes would refuse
// (not a DNS-1123 subdomain) is refused with a message instead of an edit.
import type { RenameParams, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import type { FleetIndex } from '../fleet/fleetIndex';
import { cursorAt, fileOfUri, unquotedRange } from './cursor';
import { fileUri } from './diagnostics';
import { namedKustomization } from './references';
import { dependsOnEntriesNaming, kustomizationsNamed } from './targets';

export type RenameResult = { edit: WorkspaceEdit } | { error: string } | null;

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export function rename(index: FleetIndex, params: RenameParams): RenameResult {
  try {
    const file = fileOfUri(params.textDocument.uri);
    if (!file) return null;
    const cursor = cursorAt(index, file, params.position);
    const named = cursor ? namedKustomization(index, cursor) : undefined;
    if (!named) return null;
    const newName = params.newName;
    if (newName.length > 253 || !DNS1123_SUBDOMAIN.test(newName)) {
      return {
        error: `'${newName}' is not a valid Kustomization name: use lower case letters, digits, '-' and '.', starting and ending with a letter or digit (at most 253 characters).`,
      };
    }
    const changes: Record<string, TextEdit[]> = {};
    const replace = (target: string, range: ReturnType<typeof unquotedRange> | undefined) => {
      const text = index.text(target);
      if (!range || text === undefined) return;
      const uri = fileUri(target);
      const edits = (changes[uri] ??= []);
      const r = unquotedRange(text, range);
      if (!edits.some((e) => e.range.start.line === r.start.line && e.range.start.character === r.start.character))
        edits.push({ range: r, newText: newName });
    };
    const targets = kustomizationsNamed(index, named.key, named.views);
    if (targets.length === 0) return { error: `No Kustomization named '${named.key}' in this cluster: nothing to rename.` };
    for (const ks of targets)
      replace(ks.place.file, index.parsed(ks.place.file)?.documents[ks.place.documentIndex]?.locate(['metadata', 'name']));
    for (const { ks, entry } of dependsOnEntriesNaming(index, named.key, named.views)) {
      replace(ks.place.file, index.parsed(ks.place.file)?.documents[ks.place.documentIndex]?.locate(['spec', 'dependsOn', entry, 'name']));
    }
    return { edit: { changes } };
  } catch {
    return null;
  }
}
