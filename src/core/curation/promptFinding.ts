/**
 * The classifier class a prompt asks for, read from its finding words. Order
 * matters: "covid-19 pneumonia" is covid19, not pneumonia, so COVID is checked
 * before pneumonia. A prompt with no known finding (or one whose class the
 * bundle lacks) gives null: its images are not filtered on probability.
 */
const FINDING_RULES: readonly { pattern: RegExp; className: string }[] = [
  { pattern: /\bno finding\b/, className: 'normal' },
  { pattern: /\bcovid(-19)?\b/, className: 'covid19' },
  { pattern: /\btuberculosis\b/, className: 'tuberculosis' },
  { pattern: /\b(pneumonia|ards)\b/, className: 'pneumonia' },
];

export function findingClassOfPrompt(prompt: string, classes: readonly string[]): string | null {
  const text = prompt.toLowerCase();
  const rule = FINDING_RULES.find(({ pattern }) => pattern.test(text));
  return rule && classes.includes(rule.className) ? rule.className : null;
}
