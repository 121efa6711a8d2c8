// dist/cli.js, the `fluxenv` executable. `render` runs from render.ts and args.ts alone; every other command
// loads the whole CLI (dist/fluxenv.js, main.ts) first. See render.ts for why.
import * as readline from 'readline';
import { runGuarded, type CliIo } from './args';
import { render } from './render';

function askOnTerminal(question: string): Promise<string> {
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  return new Promise((resolve) =>
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    }),
  );
}

const io: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  ...(process.stdin.isTTY ? { prompt: askOnTerminal } : {}),
};
const argv = process.argv.slice(2);
const run =
  argv[0] === 'render'
    ? runGuarded(() => render(argv.slice(1), io), io)
    : // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate bundle, loaded only when needed
      (require('./fluxenv.js') as typeof import('./main')).runCli(argv, io);
run.then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`fluxenv: internal error: ${e}\n`);
    process.exitCode = 2;
  },
);
