/** A single-channel image in row-major order. Values are in the image's own units
 * (0..255 for 8-bit PNG/JPEG, modality units such as HU for DICOM). */
export interface GrayImage {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

export function grayImage(width: number, height: number, data?: Float32Array): GrayImage {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`grayImage: expected positive integer size, received ${width}x${height}`);
  }
  const pixels = data ?? new Float32Array(width * height);
  if (pixels.length !== width * height) {
    throw new RangeError(`grayImage: expected ${width * height} values for ${width}x${height}, received ${pixels.length}`);
  }
  return { width, height, data: pixels };
}

/**
 * Interleaved 8/16-bit samples (gray, gray+alpha, RGB, RGBA) to gray, using the
 * ITU-R 601 luma weights that PIL's convert('L') uses, so images converted here
 * match how the training data was prepared. Alpha is ignored.
 */
export function toGrayscale(
  samples: ArrayLike<number>,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
): GrayImage {
  const count = width * height;
  if (samples.length < count * channels) {
    throw new RangeError(`toGrayscale: expected ${count * channels} samples for ${width}x${height}x${channels}, received ${samples.length}`);
  }
  const out = new Float32Array(count);
  if (channels <= 2) {
    for (let i = 0; i < count; i++) out[i] = samples[i * channels];
  } else {
    for (let i = 0; i < count; i++) {
      const o = i * channels;
      out[i] = (samples[o] * 299 + samples[o + 1] * 587 + samples[o + 2] * 114) / 1000;
    }
  }
  return { width, height, data: out };
}
