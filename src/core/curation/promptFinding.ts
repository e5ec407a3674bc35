/**
 * The classifier class a prompt asks for, read from its finding words. Order
 * matters: "covid-19 pneumonia" is covid19, not pneumonia, so COVID is checked
 * before pneumonia. A prompt with no known finding (or one whose class the
 * bundle lacks) gives null: its images are not filtered on probability, unless the
 * classifier has an "abnormal" class, which stands for any finding.
 */
const FINDING_RULES: readonly { pattern: RegExp; className: string }[] = [
  { pattern: /\bno finding\b/, className: 'normal' },
  { pattern: /\bcovid(-19)?\b/, className: 'covid19' },
  { pattern: /\btuberculosis\b/, className: 'tuberculosis' },
  { pattern: /\b(pneumonia|ards)\b/, className: 'pneumonia' },
];

/** The class of a classifier that tells only abnormal from normal (a common own model), which every finding but "no finding" asks for. */
export const ANY_FINDING_CLASS = 'abnormal';

export function findingClassOfPrompt(prompt: string, classes: readonly string[]): string | null {
  const text = prompt.toLowerCase();
  const rule = FINDING_RULES.find(({ pattern }) => pattern.test(text));
  if (!rule) return null;
  if (classes.includes(rule.className)) return rule.className;
  return rule.className !== 'normal' && classes.includes(ANY_FINDING_CLASS) ? ANY_FINDING_CLASS : null;
}
