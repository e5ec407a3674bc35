import type { DroppedFile } from '../core/data/dropRouting.ts';

/**
 * The files of a drop, folders walked (Chrome's FileSystemEntry API: a dropped folder is
 * a directory entry whose reader returns its children in batches).
 */
export async function droppedFiles(transfer: DataTransfer): Promise<DroppedFile<File>[]> {
  const entries = [...transfer.items].map((item) => item.webkitGetAsEntry()).filter((e): e is FileSystemEntry => e !== null);
  if (!entries.length) return [...transfer.files].map((file) => ({ path: file.name, file }));
  const out: DroppedFile<File>[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    const path = prefix + entry.name;
    if (entry.isFile) {
      out.push({ path, file: await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)) });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (!batch.length) break;
      for (const child of batch) await walk(child, `${path}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return out;
}
