import { UsageError } from '../options.ts';
import { enqueueCommand, enqueueUsage, statusCommand, statusUsage } from './queueCommands.ts';
import { runCommand, runUsage } from './runCommand.ts';
import { workerCommand, workerUsage } from './workerCommand.ts';

export const usage = `batch run|enqueue|worker|status ...  (cxr-studio batch <sub> --help for each)
  ${[runUsage, enqueueUsage, workerUsage, statusUsage].join('\n\n').replace(/\n/g, '\n  ')}`;

const subcommands: Record<string, (argv: string[]) => Promise<number>> = {
  run: runCommand,
  enqueue: enqueueCommand,
  worker: workerCommand,
  status: statusCommand,
};

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const sub = name ? subcommands[name] : undefined;
  if (!sub) {
    if (name === undefined || name === '--help' || name === '-h') {
      console.log(usage);
      return name === undefined ? 2 : 0;
    }
    throw new UsageError(`batch: expected one of [${Object.keys(subcommands).join(', ')}], received "${name}"`);
  }
  return sub(rest);
}
