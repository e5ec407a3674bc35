/** A file's stem: its name without folders and without the last extension ("a/b/CHN_01.png" -> "CHN_01"). */
export function fileStem(path: string): string {
  const name = path.split(/[\\/]/).pop() ?? path;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
}
