// The language server: LSP wiring only. Renders the kustomization folder of an edited YAML document (open
// buffers override disk) and publishes the render's errors as diagnostics on the files they point at.
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import {
  createConnection,
  DiagnosticSeverity,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { nodeFileSystem, overlayFileSystem } from './kustomize/fs';
import { KUSTOMIZATION_FILE_NAMES } from './kustomize/kustomization';
import { renderKustomization } from './kustomize/render';
import type { Problem } from './kustomize/types';

const DIAGNOSTIC_SOURCE = 'flux-environments';
const RENDER_DEBOUNCE_MS = 200;

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);

/** Per rendered kustomization folder: its error diagnostics by file, and the files the render read. */
interface FolderState {
  diagnostics: Map<string, Diagnostic[]>;
  filesRead: Set<string>;
}
const folders = new Map<string, FolderState>();
const pendingRenders = new Map<string, NodeJS.Timeout>();

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Full },
}));

function filePathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri).split(path.sep).join('/');
  } catch {
    return undefined; // e.g. a UNC host on POSIX: not a file this server can read
  }
}

function isYaml(document: TextDocument): boolean {
  return document.languageId === 'yaml' || /\.ya?ml$/i.test(document.uri);
}

/** Unsaved editor text wins over disk, so diagnostics follow what the user is typing. */
function openBuffers(): Map<string, string> {
  const buffers = new Map<string, string>();
  for (const document of documents.all()) {
    const file = filePathOf(document.uri);
    if (file) buffers.set(file, document.getText());
  }
  return buffers;
}

/** The URI the client knows a file by (its open document's), else the file URI of the path. */
function uriOf(file: string): string {
  for (const document of documents.all()) if (filePathOf(document.uri) === file) return document.uri;
  return pathToFileURL(file).href;
}

function toDiagnostic(problem: Problem): Diagnostic {
  const origin = { line: 0, character: 0 };
  return {
    range: problem.range ?? { start: origin, end: origin },
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: problem.code,
    message: problem.message,
    relatedInformation: problem.related?.map((place) => ({
      location: { uri: uriOf(place.file), range: place.range ?? { start: origin, end: origin } },
      message: place.message,
    })),
  };
}

/** A file's diagnostics are the union over every folder whose render reported on it, without duplicates. */
function publishFile(file: string): void {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const state of folders.values()) {
    for (const diagnostic of state.diagnostics.get(file) ?? []) {
      const { start } = diagnostic.range;
      const key = `${diagnostic.code}|${start.line}:${start.character}|${diagnostic.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      diagnostics.push(diagnostic);
    }
  }
  void connection.sendDiagnostics({ uri: uriOf(file), diagnostics });
}

function renderFolder(dir: string): void {
  const fs = overlayFileSystem(nodeFileSystem, openBuffers());
  const previous = folders.get(dir);
  const diagnostics = new Map<string, Diagnostic[]>();
  let filesRead = new Set<string>();
  if (KUSTOMIZATION_FILE_NAMES.some((name) => fs.kind(`${dir}/${name}`) === 'file')) {
    try {
      const output = renderKustomization(dir, { fs });
      filesRead = output.filesRead;
      for (const problem of output.problems) {
        if (problem.severity !== 'error') continue;
        const list = diagnostics.get(problem.file) ?? [];
        list.push(toDiagnostic(problem));
        diagnostics.set(problem.file, list);
      }
    } catch (error) {
      // A renderer bug must not take the language server down with it.
      connection.console.error(`rendering ${dir} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return;
    }
  }
  if (diagnostics.size || filesRead.size) folders.set(dir, { diagnostics, filesRead });
  else folders.delete(dir);
  const touched = new Set([...(previous?.diagnostics.keys() ?? []), ...diagnostics.keys()]);
  for (const file of touched) publishFile(file);
}

function scheduleRender(dir: string): void {
  clearTimeout(pendingRenders.get(dir));
  pendingRenders.set(dir, setTimeout(() => {
    pendingRenders.delete(dir);
    renderFolder(dir);
  }, RENDER_DEBOUNCE_MS));
}

/** The document's own folder, plus every rendered folder that read this file (an overlay over an edited base). */
function onDocumentChanged(document: TextDocument): void {
  const file = filePathOf(document.uri);
  if (!file || !isYaml(document)) return;
  scheduleRender(path.posix.dirname(file));
  for (const [dir, state] of folders) if (state.filesRead.has(file)) scheduleRender(dir);
}

documents.onDidOpen((event) => onDocumentChanged(event.document));
documents.onDidChangeContent((event) => onDocumentChanged(event.document));
// The buffer no longer overrides disk, so what was typed but not saved stops counting.
documents.onDidClose((event) => onDocumentChanged(event.document));

documents.listen(connection);
connection.listen();
