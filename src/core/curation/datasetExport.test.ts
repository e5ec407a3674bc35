import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../data/csvTable.ts';
import { decodeMaskPng } from '../mask/maskPng.ts';
import { PROVENANCE_FORMAT, type Provenance } from '../pipelines/provenance.ts';
import { anonymiseItems, datasetZip, LABEL_COLUMNS, type ExportItem } from './datasetExport.ts';

function provenance(seed: number, prompt: string, convention?: string): Provenance {
  return {
    format: PROVENANCE_FORMAT, synthetic: true, prompt, input_ids: [1, 2], unknown_words: [], seed, steps: 2, guidance: 3, scheduler: 'ddim',
    model: { id: 'cxr-studio-v1', name: 'v1', files: { unet: { file: 'unet.onnx', sha256: 'abc' } } },
    mask: convention ? { name: 'm.png', sha256: 'def', layers: [{ layer: 'lung', convention }] } : null,
    engine: 'wasm', created: '2026-11-26T10:00:00.000Z', elapsed_ms: 10,
  };
}

const mask = Uint8Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? 1 : 0));
const items: ExportItem[] = [
  {
    id: 'img-1', png: Uint8Array.of(137, 80, 78, 71), side: 4, mask, provenance: provenance(7, 'chest x-ray, tuberculosis, adult', 'shenzhen'),
    proxy: { findingClass: 'tuberculosis', findingProbability: 0.8, maskChannel: 'lung_shenzhen', maskDice: 0.9, probabilities: { normal: 0.1, tuberculosis: 0.8 } },
    reviews: [{ imageId: 'img-1', reviewer: 'R', realism: 4, findingPresent: 'yes', artefacts: [], comment: 'a, "b"', decision: 'accept', reviewedAt: '2026-11-26T11:00:00.000Z' }],
  },
  { id: 'img-2', png: Uint8Array.of(1, 2, 3), side: 4, provenance: provenance(8, 'chest x-ray, adult'), proxy: null, reviews: [] },
];

describe('datasetZip', () => {
  const files = unzipSync(datasetZip(items, new Date('2026-11-26T12:00:00.000Z')));
  it('holds images, masks, provenance and labels.csv', () => {
    expect(Object.keys(files).sort()).toEqual([
      'images/synthetic-0001-seed7.png', 'images/synthetic-0002-seed8.png', 'labels.csv', 'masks/synthetic-0001-seed7.png',
      'provenance/synthetic-0001-seed7.json', 'provenance/synthetic-0002-seed8.json',
    ]);
    expect([...files['images/synthetic-0001-seed7.png']]).toEqual([137, 80, 78, 71]);
    expect([...decodeMaskPng(files['masks/synthetic-0001-seed7.png'], 4)]).toEqual([...mask]);
  });
  it('writes one labels.csv row per image with the documented columns', () => {
    const table = parseCsv(files['labels.csv']);
    expect(table.columns).toEqual(Object.keys(LABEL_COLUMNS));
    expect(table.rows).toHaveLength(2);
    expect(table.rows[0]).toMatchObject({ image: 'images/synthetic-0001-seed7.png', mask: 'masks/synthetic-0001-seed7.png', label: 'tuberculosis', seed: '7', mask_convention: 'shenzhen', finding_probability: '0.8', mask_dice: '0.9', review_decision: 'accept', review_realism: '4', reviewer: 'R' });
    expect(table.rows[1]).toMatchObject({ mask: '', label: '', review_decision: '' });
  });
  it('puts generation provenance, proxy scores and reviews in each JSON', () => {
    const json = JSON.parse(new TextDecoder().decode(files['provenance/synthetic-0001-seed7.json']));
    expect(json.image_id).toBe('img-1');
    expect(json.generation.model.files.unet.sha256).toBe('abc');
    expect(json.proxy.maskDice).toBe(0.9);
    expect(json.reviews[0].comment).toBe('a, "b"');
  });
});

describe('anonymiseItems', () => {
  it('replaces the user\'s mask file names in the provenance and returns the key apart', () => {
    const named: ExportItem[] = items.map((item, i) => ({ ...item, provenance: { ...item.provenance, mask: { name: `patients/CHNCXR_030${i}_0.png`, sha256: 'def', layers: [] }, mask_editor: { source: `CHNCXR_030${i}_0.png` } } }));
    const { items: anonymised, key } = anonymiseItems(named);
    expect(anonymised.map((item) => [item.provenance.mask?.name, item.provenance.mask_editor?.source])).toEqual([['mask-0001.png', 'mask-0001.png'], ['mask-0002.png', 'mask-0002.png']]);
    expect(key).toEqual([{ pseudonym: 'mask-0001', original: 'CHNCXR_0300_0' }, { pseudonym: 'mask-0002', original: 'CHNCXR_0301_0' }]);
    const zipped = new TextDecoder().decode(Object.values(unzipSync(datasetZip(anonymised))).reduce((all, f) => Uint8Array.from([...all, ...f]), new Uint8Array()));
    expect(zipped).not.toContain('CHNCXR');
    expect(anonymised[0].provenance.prompt).toBe(named[0].provenance.prompt);
  });
});
