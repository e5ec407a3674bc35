/** Where the user's files are: a picked folder (File per name) or one zip. */
export type FileSet = { kind: 'files'; files: Record<string, File> } | { kind: 'zip'; zip: File };

/** One case re-read for the worst-cases view. */
export interface CaseView {
  width: number;
  height: number;
  /** 0..255 display pixels, at most 512 px on the long side. */
  pixels: Uint8ClampedArray;
  truth?: Uint8Array;
  prediction?: Uint8Array;
}
