// The fleet a command reads: the folder argument checked and indexed, with the --limits and --enable-helm flags applied.
import * as fs from 'fs';
import * as path from 'path';
import { FleetIndex } from '../fleet/fleetIndex';
import { helmArgument, limitsArgument, UsageError, type CliIo, type ParsedArgs } from './args';

export function openFleet(args: ParsedArgs, io: CliIo, command: string): FleetIndex {
  if (args.positional.length > 1) throw new UsageError(`${command} takes one folder`);
  const given = args.positional[0] ?? '.';
  const folder = path.resolve(io.cwd, given);
  if (!fs.existsSync(folder) || !fs.statSync(folder).isDirectory()) throw new UsageError(`'${given}' is not a folder`);
  const index = new FleetIndex(folder, { limits: limitsArgument(args), ...helmArgument(args) });
  index.scan();
  return index;
}
