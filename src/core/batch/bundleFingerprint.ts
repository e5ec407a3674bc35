import type { Manifest } from '../manifest/types.ts';
import { sha256Hex } from '../manifest/verifyFile.ts';

/**
 * One hash for "the same models": sha256 over every model file's and the tokenizer's
 * own sha256 as the manifest lists them (sorted lines "file sha256"), so the studio and
 * the CLI agree on it without sharing the manifest's bytes or formatting.
 */
export async function bundleFingerprint(manifest: Manifest): Promise<string> {
  const lines = Object.values(manifest.models).flatMap((model) => Object.values(model?.variants ?? {}).map((v) => `${v!.file} ${v!.sha256}`));
  if (manifest.tokenizer) lines.push(`${manifest.tokenizer.file} ${manifest.tokenizer.sha256}`);
  return sha256Hex(new TextEncoder().encode(`${manifest.id}\n${[...new Set(lines)].sort().join('\n')}\n`));
}
