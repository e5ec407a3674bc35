import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromptTokenizer } from './tokenizer';
import { SHARED } from '../../../cli/testing/shared.ts';

const REFERENCE = join(SHARED, 'models/reference-v0');
const present = existsSync(`${REFERENCE}/tokenizer.json`) && existsSync(`${REFERENCE}/golden/golden.json`);
if (!present) console.warn(`tokenizer tests skipped: ${REFERENCE} (reference models) is not present`);

describe.skipIf(!present)('PromptTokenizer on the reference-v0 tokenizer.json', () => {
  const load = () =>
    new PromptTokenizer(JSON.parse(readFileSync(`${REFERENCE}/tokenizer.json`, 'utf8')), { max_length: 32, pad_id: 0 });

  it('gives the golden run its token ids, padded to 32', () => {
    const golden = JSON.parse(readFileSync(`${REFERENCE}/golden/golden.json`, 'utf8'));
    const encoded = load().encode(golden.prompt);
    expect(encoded.ids).toEqual(golden.input_ids);
    expect(encoded.truncated).toBe(false);
    expect(encoded.unknown).toEqual([]);
  });

  it('lowercases and splits x-ray and covid-19 on punctuation', () => {
    const encoded = load().encode('Chest X-Ray, COVID-19');
    expect(encoded.tokens).toEqual(['chest', 'x', '-', 'ray', ',', 'covid', '-', '19']);
  });

  it('maps unknown words to [UNK] and reports them', () => {
    const encoded = load().encode('chest x-ray, banana');
    expect(encoded.ids[5]).toBe(1);
    expect(encoded.unknown).toEqual(['banana']);
  });

  it('truncates on the right to max_length', () => {
    const encoded = load().encode(Array(40).fill('pneumonia').join(' '));
    expect(encoded.ids).toHaveLength(32);
    expect(encoded.truncated).toBe(true);
    expect(new Set(encoded.ids)).toEqual(new Set([23]));
  });

  it('the unconditional prompt is all padding', () => {
    const tokenizer = load();
    expect(tokenizer.emptyIds()).toEqual(Array(32).fill(0));
    expect(tokenizer.encode('').ids).toEqual(tokenizer.emptyIds());
  });
});
