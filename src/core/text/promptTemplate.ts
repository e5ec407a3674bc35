import type { PromptSpec } from '../manifest/types.ts';

export interface PromptParts {
  finding: string;
  view?: string;
  age?: string;
  sex?: string;
}

/**
 * Fills the manifest's template "chest x-ray, <finding>[, <view>][, <age>[ <sex>]]"
 * the way the training prompts were built: sex only follows an age.
 */
export function composePrompt({ finding, view, age, sex }: PromptParts): string {
  let prompt = `chest x-ray, ${finding}`;
  if (view) prompt += `, ${view}`;
  if (age) prompt += `, ${age}${sex ? ` ${sex}` : ''}`;
  return prompt;
}

/** The manifest's own examples, then one prompt per finding with the first view and age. */
export function promptExamples(spec: PromptSpec): string[] {
  const built = spec.findings.map((finding) => composePrompt({ finding, view: spec.views?.[0], age: spec.ages?.[0] }));
  return [...new Set([...(spec.examples ?? []), ...built])];
}
