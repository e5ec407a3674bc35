import { describe, expect, it } from 'vitest';
import { composePrompt, promptExamples } from './promptTemplate';

describe('composePrompt', () => {
  it('follows the training template, with sex only after an age', () => {
    expect(composePrompt({ finding: 'tuberculosis', view: 'pa view', age: 'adult', sex: 'male' })).toBe('chest x-ray, tuberculosis, pa view, adult male');
    expect(composePrompt({ finding: 'no finding' })).toBe('chest x-ray, no finding');
    expect(composePrompt({ finding: 'pneumonia', sex: 'female' })).toBe('chest x-ray, pneumonia');
    expect(composePrompt({ finding: 'pneumonia', age: 'pediatric' })).toBe('chest x-ray, pneumonia, pediatric');
  });
});

describe('promptExamples', () => {
  it('lists the manifest examples first, then one per finding, without duplicates', () => {
    const examples = promptExamples({
      template: '',
      findings: ['no finding', 'tuberculosis'],
      views: ['pa view'],
      ages: ['adult'],
      examples: ['chest x-ray, tuberculosis, pa view, adult', 'chest x-ray, covid-19, adult'],
    });
    expect(examples).toEqual([
      'chest x-ray, tuberculosis, pa view, adult',
      'chest x-ray, covid-19, adult',
      'chest x-ray, no finding, pa view, adult',
    ]);
  });
});
