import { grayImage, type GrayImage } from './grayImage.ts';

/**
 * The training images were padded with black to a centred square, never
 * cropped, then resized. Inputs go through the same padding so a portrait or
 * landscape radiograph keeps its proportions; `cropFromSquare` maps a result
 * (a mask) back onto the original frame.
 */
export interface SquarePadding {
  side: number;
  left: number;
  top: number;
}

export function squarePadding(width: number, height: number): SquarePadding {
  const side = Math.max(width, height);
  return { side, left: Math.floor((side - width) / 2), top: Math.floor((side - height) / 2) };
}

export function padToSquare(image: GrayImage, fill = 0): GrayImage {
  const { side, left, top } = squarePadding(image.width, image.height);
  if (side === image.width && side === image.height) return image;
  const out = new Float32Array(side * side).fill(fill);
  for (let y = 0; y < image.height; y++) {
    out.set(image.data.subarray(y * image.width, (y + 1) * image.width), (y + top) * side + left);
  }
  return grayImage(side, side, out);
}

export function cropFromSquare(square: GrayImage, width: number, height: number): GrayImage {
  const { side, left, top } = squarePadding(width, height);
  if (square.width !== side || square.height !== side) {
    throw new RangeError(`cropFromSquare: expected a ${side}x${side} square for ${width}x${height}, received ${square.width}x${square.height}`);
  }
  if (side === width && side === height) return square;
  const out = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const start = (y + top) * side + left;
    out.set(square.data.subarray(start, start + width), y * width);
  }
  return grayImage(width, height, out);
}
