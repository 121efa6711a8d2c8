// fluxenv: the engine of the editor extension, for scripts and CI; dist/fluxenv.js. One command per file;
// this module only dispatches. `render` also runs without it, from dist/cli.js (see entry.ts).
import { runGuarded, UsageError, USAGE, VERSION, type CliIo } from './args';
import { buildCommand, BUILD_HELP } from './build';
import { check, CHECK_HELP } from './check';
import { diffCommand, DIFF_HELP } from './diff';
import { environmentsCommand, ENVIRONMENTS_HELP } from './environments';
import { historyCommand, HISTORY_HELP } from './history';
import { promoteCommand, PROMOTE_HELP } from './promote';
import { render, RENDER_HELP } from './render';
import { valuesCommand, VALUES_HELP } from './values';

export { check };

const COMMAND_TABLE: Record<string, { run: (argv: string[], io: CliIo) => number | Promise<number>; help: string }> = {
  check: { run: check, help: CHECK_HELP },
  render: { run: render, help: RENDER_HELP },
  environments: { run: environmentsCommand, help: ENVIRONMENTS_HELP },
  build: { run: buildCommand, help: BUILD_HELP },
  values: { run: valuesCommand, help: VALUES_HELP },
  diff: { run: diffCommand, help: DIFF_HELP },
  promote: { run: promoteCommand, help: PROMOTE_HELP },
  history: { run: historyCommand, help: HISTORY_HELP },
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  return runGuarded(() => {
    if (command !== undefined && Object.prototype.hasOwnProperty.call(COMMAND_TABLE, command)) return COMMAND_TABLE[command].run(rest, io);
    switch (command) {
      case '--version':
        io.stdout(VERSION + '\n');
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h': {
        const asked =
          rest[0] !== undefined && Object.prototype.hasOwnProperty.call(COMMAND_TABLE, rest[0]) ? COMMAND_TABLE[rest[0]] : undefined;
        io.stdout(asked ? asked.help : USAGE);
        return command === undefined ? 2 : 0;
      }
      default:
        throw new UsageError(`unknown command '${command}'`);
    }
  }, io);
}
