/**
 * Shared command-line option parsing: one numeric-option reader for every
 * command (a non-numeric, out-of-range or fractional value is refused with
 * what was received, instead of running with NaN), and the error that makes
 * main.ts exit 2 (a usage error) instead of 1 (a failed run).
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface NumberRule {
  integer?: boolean;
  min?: number;
  max?: number;
}

export function parseNumberOption(flag: string, text: string, rule?: NumberRule): number;
export function parseNumberOption(flag: string, text: string | undefined, rule?: NumberRule): number | undefined;
export function parseNumberOption(flag: string, text: string | undefined, rule: NumberRule = {}): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag}: expected ${kind}, received "${text}"`);
  if (rule.integer && !Number.isInteger(value)) throw new UsageError(`--${flag}: expected ${kind}, received "${text}"`);
  if ((rule.min !== undefined && value < rule.min) || (rule.max !== undefined && value > rule.max)) {
    const range = rule.max === undefined ? `at least ${rule.min}` : rule.min === undefined ? `at most ${rule.max}` : `between ${rule.min} and ${rule.max}`;
    throw new UsageError(`--${flag}: expected ${kind} ${range}, received ${text}`);
  }
  return value;
}

/** node:util parseArgs' own errors (unknown option, missing value) and a setting that cannot be used are usage errors too. */
export function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return error instanceof UsageError || code === 'settings-invalid' || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_'));
}
