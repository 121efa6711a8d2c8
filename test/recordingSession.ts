// A language-server Session without a connection: what it publishes and logs is kept for the test to read.
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver';
import { DEFAULT_SETTINGS, Session } from '../server/src/session';

export interface RecordingSession {
  session: Session;
  /** The last diagnostics published per document URI. */
  published: Map<string, LspDiagnostic[]>;
  logs: string[];
}

/** A session with the default settings and no debounce, analysing as soon as it is told to. */
export function recordingSession(): RecordingSession {
  const published = new Map<string, LspDiagnostic[]>();
  const logs: string[] = [];
  const session = new Session(
    { publish: (uri, d) => published.set(uri, d), log: (m) => logs.push(m), changed: () => undefined, analyzed: () => undefined },
    { ...DEFAULT_SETTINGS, debounceMs: 0 },
    '/docs',
  );
  return { session, published, logs };
}
