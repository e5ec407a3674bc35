import type { RgbaRaster } from '../../src/core/image/decode.ts';

/** The browser's own decoder for PNG and JPEG bytes (src/core/image/decode.ts handles DICOM and 16-bit PNG itself). */
export async function decodeRaster(bytes: Uint8Array, mime: string): Promise<RgbaRaster> {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mime }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { width: canvas.width, height: canvas.height, data: context.getImageData(0, 0, canvas.width, canvas.height).data };
}
