import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { commands, type Command } from './commands.ts';

/**
 * Every `cxr-studio <command> ...` the docs print (fenced sh blocks and inline
 * code in the Markdown below, the Kubernetes job's args) is given to that
 * command's own parser with --help appended: an option the command does not
 * have, a value missing after an option or one given to a flag fails here,
 * and nothing runs (each command prints its usage on --help after parsing).
 * Synopses are read as a user would: [optional] brackets dropped, `--a|--b V`
 * tried as both options, `...` skipped; placeholders stay as values. Inline
 * code in prose may name an option without its value (`cxr-studio analyze
 * --masks`), so there each option need only parse with or without one.
 */
const ROOT = resolve(import.meta.dirname, '..');
const MARKDOWN = ['README.md', 'RESULTS.md', 'deploy/README.md'];
const JOB = 'deploy/batch-indexed-job.yaml';

interface DocCommand {
  file: string;
  text: string;
  /** A whole command line (sh block, job args) rather than a mention in prose. */
  whole: boolean;
}

/** Lines of fenced sh blocks (continuations joined, comments dropped), and inline code spans elsewhere. */
function codeIn(markdown: string): { whole: string[]; inline: string[] } {
  const whole: string[] = [];
  const prose = markdown.replace(/```(?:sh|bash|shell)\n([\s\S]*?)```/g, (_, block: string) => {
    whole.push(...block.replace(/\\\n/g, ' ').split('\n').filter((line) => !line.trim().startsWith('#')));
    return '';
  });
  const inline = [...prose.replace(/```[\s\S]*?```/g, '').matchAll(/`([^`]+)`/g)].map(([, span]) => span.replace(/\s+/g, ' '));
  return { whole, inline };
}

/** Each `cxr-studio <word> ...` in a line, up to the next shell separator. */
function commandsIn(file: string, lines: string[], whole: boolean): DocCommand[] {
  return lines.flatMap((line) =>
    line
      .split(/\s(?:&&|&|\|)\s|;(?:\s|$)/)
      .map((segment) => segment.match(/(?:^|\s)cxr-studio\s+([a-z<][^\s]*.*)$/)?.[1])
      .filter((text): text is string => Boolean(text))
      .map((text) => ({ file, text, whole })),
  );
}

function docCommands(): DocCommand[] {
  const fromMarkdown = MARKDOWN.flatMap((file) => {
    const { whole, inline } = codeIn(readFileSync(resolve(ROOT, file), 'utf8'));
    return [...commandsIn(file, whole, true), ...commandsIn(file, inline, false)];
  });
  const job = readFileSync(resolve(ROOT, JOB), 'utf8');
  const args = job.match(/^\s*args:\s*(\[.*\])\s*$/m);
  if (!args) throw new Error(`${JOB}: no args: [...] line`);
  return [...fromMarkdown, { file: JOB, text: (JSON.parse(args[1]) as string[]).map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' '), whole: true }];
}

/** A synopsis as argv: brackets off, quotes off, `--a|--b V` as `--a V --b V`, `...` dropped. */
export function synopsisArgv(text: string): string[] {
  const tokens = [...text.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map(([t]) => (/^["']/.test(t) ? t.slice(1, -1) : t.replace(/^\[+/, '').replace(/\]+$/, ''))).filter((t) => t && t !== '...');
  const argv: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!(token.startsWith('-') && token.includes('|'))) {
      argv.push(token);
      continue;
    }
    const value = tokens[i + 1] !== undefined && !tokens[i + 1].startsWith('-') ? tokens[++i] : undefined;
    for (const option of token.split('|')) argv.push(option, ...(value === undefined ? [] : [value]));
  }
  return argv;
}

describe('synopsisArgv', () => {
  it('reads optional brackets, alternatives, quotes and ellipses as a user would', () => {
    expect(synopsisArgv('generate --prompt "chest x-ray, tb" [--mask|--masks FILE|DIR] [--seeds 1,2] ... [--json]]')).toEqual([
      'generate', '--prompt', 'chest x-ray, tb', '--mask', 'FILE|DIR', '--masks', 'FILE|DIR', '--seeds', '1,2', '--json',
    ]);
  });
});

describe('every cxr-studio command in the docs parses with its command', () => {
  const found = docCommands();
  it('finds the commands the docs print (at least the README synopses of all five commands)', () => {
    const names = new Set(found.map((c) => c.text.split(/\s/)[0]));
    expect([...names].filter((n) => !n.startsWith('<')).sort()).toEqual(Object.keys(commands).sort());
    expect(found.length).toBeGreaterThanOrEqual(15);
  });
  /** The command's exit code on argv + --help, its usage printed (parsing only: nothing runs). */
  async function parses(command: Command, argv: string[]): Promise<number> {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const code = await command.run([...argv, '--help']);
      if (code === 0) expect(printed).toHaveBeenCalled();
      return code;
    } finally {
      printed.mockRestore();
    }
  }
  it.each(found.filter((c) => !c.text.startsWith('<')).map((c) => [c.file, c.text, c.whole] as const))('%s: cxr-studio %s', async (_file, text, whole) => {
    const [name, ...rest] = synopsisArgv(text);
    expect(Object.keys(commands), `no command "${name}"`).toContain(name);
    const command = await commands[name]();
    if (whole) {
      expect(await parses(command, rest)).toBe(0);
      return;
    }
    // a mention: the words before the first option (a batch subcommand), then each option with or without a value
    const lead = rest.slice(0, Math.max(0, rest.findIndex((t) => t.startsWith("-"))));
    for (const option of rest.filter((t) => t.startsWith('-'))) {
      const alone = await parses(command, [...lead, option]).catch(() => 2);
      const withValue = alone === 0 ? 0 : await parses(command, [...lead, option, 'VALUE']).catch(() => 2);
      expect(withValue, `${option} is no option of cxr-studio ${[name, ...lead].join(' ')}`).toBe(0);
    }
  });
});
