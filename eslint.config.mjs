// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layering of docs/ARCHITECTURE.md#invariants, checked: for each folder, the folders of server/src its
// relative imports must not reach. Lower layers first; a folder may import only those listed before it.
const INVARIANTS = 'see docs/ARCHITECTURE.md#invariants';
const ENGINE_FOLDERS = ['util', 'kustomize', 'flux', 'fleet', 'rules', 'git', 'promote', 'features', 'cli'];
const SERVER_FILES = ['server', 'session', 'promotionHandlers', 'protocol'];
const LAYERS = [
  { folder: 'util', mayImport: [], why: 'util/ holds helpers without domain knowledge and imports nothing of server/src' },
  { folder: 'kustomize', mayImport: ['util'], why: 'kustomize/ is the renderer and knows nothing above it' },
  { folder: 'flux', mayImport: ['util', 'kustomize'], why: 'flux/ knows Flux objects over the renderer and imports only kustomize/' },
  { folder: 'fleet', mayImport: ['util', 'kustomize', 'flux'], why: 'fleet/ is the index and imports only kustomize/ and flux/' },
  {
    folder: 'rules',
    mayImport: ['util', 'kustomize', 'flux', 'fleet'],
    why: 'rules/ read the index and import only kustomize/, flux/ and fleet/',
  },
  { folder: 'git', mayImport: [], why: 'git/ is plain git and imports nothing else of server/src' },
  {
    folder: 'promote',
    mayImport: ['util', 'kustomize', 'flux', 'fleet', 'git'],
    why: 'promote/ imports only kustomize/, flux/, fleet/ and git/; the editor and the CLI drive it',
  },
  {
    folder: 'features',
    mayImport: ['util', 'kustomize', 'flux', 'fleet', 'rules', 'git', 'promote', 'protocol'],
    why: 'features/ are functions of the index, never the CLI or the server wiring',
  },
  {
    folder: 'cli',
    mayImport: ['util', 'kustomize', 'flux', 'fleet', 'rules', 'git', 'promote', 'features'],
    why: 'the CLI never imports the language server or protocol.ts',
  },
];
const NO_VSCODE = {
  name: 'vscode',
  message: 'server/src is the engine and never imports vscode (the CLI runs it too) — see docs/ARCHITECTURE.md#invariants.',
};
const escape = (name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A relative import reaching any of `names` (a folder of server/src, or one of its top-level files). */
function reaching(names, { fromTop }) {
  const alternatives = names.map(escape).join('|');
  // From a file directly in server/src the sibling is './name'; from a folder it is '../name' (or deeper).
  return fromTop ? `^\\./(${alternatives})(/|$)` : `^(\\.\\./)+(${alternatives})(/|$)`;
}

function layers() {
  const configs = LAYERS.map(({ folder, mayImport, why }) => {
    const forbidden = [...ENGINE_FOLDERS, ...SERVER_FILES].filter((name) => name !== folder && !mayImport.includes(name));
    return {
      files: [`server/src/${folder}/**/*.ts`],
      rules: {
        'no-restricted-imports': [
          'error',
          { paths: [NO_VSCODE], patterns: [{ regex: reaching(forbidden, { fromTop: false }), message: `${why} — ${INVARIANTS}.` }] },
        ],
      },
    };
  });
  return [
    // The top-level files (server.ts, session.ts, promotionHandlers.ts) wire everything; protocol.ts is the contract.
    { files: ['server/src/*.ts'], rules: { 'no-restricted-imports': ['error', { paths: [NO_VSCODE] }] } },
    {
      files: ['server/src/protocol.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            paths: [NO_VSCODE],
            patterns: [
              {
                regex: reaching([...ENGINE_FOLDERS, ...SERVER_FILES], { fromTop: true }),
                message: `protocol.ts is the client's contract and imports nothing of server/src — ${INVARIANTS}.`,
              },
            ],
          },
        ],
      },
    },
    ...configs,
    {
      files: ['client/src/**/*.ts'],
      rules: {
        'no-restricted-imports': [
          'error',
          {
            patterns: [
              {
                regex: '^(\\.\\./)+server/(?!src/protocol$)',
                message: `the client is thin and imports nothing of server/src but server/src/protocol.ts — ${INVARIANTS}.`,
              },
            ],
          },
        ],
      },
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      '.bench/**',
      'node_modules/**',
      '.vscode-server-test/**',
      '.vscode-test/**',
      'test/parity/fixtures/**',
      'test/fixtures/**',
      'examples/**',
      '*.vsix',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...layers(),
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: {
      globals: {
        require: 'readonly',
        module: 'writable',
        process: 'readonly',
        console: 'readonly',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        fetch: 'readonly',
        URL: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
