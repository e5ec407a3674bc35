/**
 * cxr-studio command line: a small dispatcher; each command lives in its own
 * file exporting `run(argv): Promise<exit code>` and `usage`.
 */
import { userMessage } from '../src/core/errors.ts';
import { commands } from './commands.ts';
import { isUsageError } from './options.ts';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const load = name ? commands[name] : undefined;
  if (!load) {
    const usages = await Promise.all(Object.values(commands).map(async (l) => `  ${(await l()).usage.replace(/\n/g, '\n  ')}`));
    console.error(`usage: cxr-studio <command> ...\n\n${usages.join('\n\n')}`);
    return name ? 2 : 0;
  }
  try {
    return await (await load()).run(rest);
  } catch (error) {
    if (isUsageError(error)) {
      console.error(`${name}: ${(error as Error).message}\n  (cxr-studio ${name} --help lists the options)`);
      return 2;
    }
    const { title, detail, code } = userMessage(error);
    console.error(`error (${code}): ${title}\n  ${detail}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
