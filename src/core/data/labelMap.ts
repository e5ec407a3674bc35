import { StudioError } from '../errors.ts';

/**
 * A label map typed by a user: "No Finding=normal, Pneumonia=pneumonia" maps a
 * data set's label names to the model's class names. Empty text = no map.
 */
export function parseLabelMap(text: string | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const pair of (text ?? '').split(',')) {
    if (!pair.trim()) continue;
    const at = pair.indexOf('=');
    if (at <= 0) throw new StudioError('labels-invalid', `label map: expected "dataset label=model class", received "${pair.trim()}"`);
    map[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  return map;
}
