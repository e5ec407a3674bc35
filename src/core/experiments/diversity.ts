import type { RasterDecoder, RgbaRaster } from '../image/decode.ts';
import { meanPairwiseMsSsim, type Plane } from '../metrics/msSsim.ts';

/** One prompt's images, as the PNG bytes the gallery keeps. */
export interface PromptImages {
  key: string;
  pngs: Uint8Array[];
}

export interface PromptDiversity {
  key: string;
  images: number;
  meanMsSsim: number;
}

/** A decoded generated image as MS-SSIM reads it: the red channel scaled to 0..1 (the images are gray, so R = G = B). */
export function rasterPlane(raster: RgbaRaster): Plane {
  const { width, height, data: rgba } = raster;
  const data = Float64Array.from({ length: width * height }, (_, i) => rgba[i * 4] / 255);
  return { data, width, height };
}

/**
 * Mean pairwise MS-SSIM per prompt (lower means more diverse). Prompts with fewer
 * than two images are left out. `decode` is the host's raster decoder (the curation
 * worker passes workers/kit's), so the page itself decodes no pixels.
 */
export async function promptDiversity(groups: readonly PromptImages[], decode: RasterDecoder): Promise<PromptDiversity[]> {
  const result: PromptDiversity[] = [];
  for (const { key, pngs } of groups) {
    if (pngs.length < 2) continue;
    const planes = await Promise.all(pngs.map(async (png) => rasterPlane(await decode(png, 'image/png'))));
    result.push({ key, images: planes.length, meanMsSsim: meanPairwiseMsSsim(planes) });
  }
  return result;
}
