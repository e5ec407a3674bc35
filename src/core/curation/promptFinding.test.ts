import { describe, expect, it } from 'vitest';
import { findingClassOfPrompt } from './promptFinding.ts';

const CLASSES = ['normal', 'pneumonia', 'tuberculosis', 'covid19'];

describe('findingClassOfPrompt', () => {
  it.each([
    ['chest x-ray, no finding, adult', 'normal'],
    ['chest x-ray, pneumonia, adult', 'pneumonia'],
    ['chest x-ray, bacterial pneumonia, pediatric', 'pneumonia'],
    ['chest x-ray, viral pneumonia, ap view', 'pneumonia'],
    ['chest x-ray, ards, adult', 'pneumonia'],
    ['chest x-ray, tuberculosis, pa view, adult male', 'tuberculosis'],
    ['chest x-ray, covid-19 pneumonia, ap supine view, adult male', 'covid19'],
    ['Chest X-Ray, COVID-19 Pneumonia', 'covid19'],
  ])('%s -> %s', (prompt, expected) => {
    expect(findingClassOfPrompt(prompt, CLASSES)).toBe(expected);
  });
  it('gives null for a prompt with no known finding', () => {
    expect(findingClassOfPrompt('chest x-ray, adult', CLASSES)).toBeNull();
  });
  it('gives null when the bundle has no such class', () => {
    expect(findingClassOfPrompt('chest x-ray, tuberculosis', ['normal', 'pneumonia'])).toBeNull();
  });
  it('reads any finding as "abnormal" for a classifier that has that class and not the finding itself', () => {
    const binary = ['normal', 'abnormal'];
    expect(findingClassOfPrompt('chest x-ray, tuberculosis, adult', binary)).toBe('abnormal');
    expect(findingClassOfPrompt('chest x-ray, covid-19 pneumonia', binary)).toBe('abnormal');
    expect(findingClassOfPrompt('chest x-ray, no finding, adult', binary)).toBe('normal');
    expect(findingClassOfPrompt('chest x-ray, adult', binary)).toBeNull();
    expect(findingClassOfPrompt('chest x-ray, tuberculosis', ['normal', 'tuberculosis', 'abnormal'])).toBe('tuberculosis');
  });
  it('does not read "cards" as ards', () => {
    expect(findingClassOfPrompt('chest x-ray, cards', CLASSES)).toBeNull();
  });
});
