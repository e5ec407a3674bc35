import { describe, expect, it } from 'vitest';
import { ImageError, ModelFileError, StudioError, fromErrorPayload, toErrorPayload, toTransferableError, userMessage } from './errors.ts';

describe('errors', () => {
  it('keeps the code through a structured clone of the payload', () => {
    const original = new ModelFileError('model-truncated', 'segmenter.onnx: expected 100 bytes, received 40');
    const cloned = structuredClone(toErrorPayload(original));
    const back = fromErrorPayload(cloned);
    expect(back).toBeInstanceOf(StudioError);
    expect(back.code).toBe('model-truncated');
    expect(back.detail).toBe('segmenter.onnx: expected 100 bytes, received 40');
  });

  it('keeps the code through an Error that only carries name and message (comlink)', () => {
    const wire = toTransferableError(new ImageError('image-decode-failed', 'bad PNG signature'));
    const asComlinkSendsIt = structuredClone({ name: wire.name, message: wire.message });
    const rebuilt = new Error(asComlinkSendsIt.message);
    expect(fromErrorPayload(rebuilt).code).toBe('image-decode-failed');
    expect(userMessage(rebuilt).title).toBe('This image could not be read; the file may be damaged.');
  });

  it('maps unknown errors to the generic words and keeps the detail', () => {
    const { title, detail, code } = userMessage(new TypeError('x is undefined'));
    expect(code).toBe('unknown');
    expect(title).toBe('Something went wrong.');
    expect(detail).toBe('x is undefined');
  });
});
