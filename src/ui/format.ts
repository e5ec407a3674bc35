/** Bytes as the status bar, the Models page and Settings show them: "24.8 MB" (decimal megabytes). */
export function megabytes(bytes: number, digits = 1): string {
  return `${(bytes / 1e6).toFixed(digits)} MB`;
}
