import { dataFileName, embedExternalData, externalDataFiles } from '../../core/onnx/externalData.ts';

/**
 * The files picked for an own model as the one ONNX file the workers take: the .onnx among them
 * (else the first) as it is, or, where it keeps its weights in a separate file (PyTorch's export
 * since 2.9: model.onnx with model.onnx.data), with those weights copied in from the other picked
 * files. A data file it needs and was not picked with it is refused with its name. `picked` is the
 * .onnx as it is on disk: what a saved manifest must hash for the CLI, which reads the pair itself.
 */
export async function ownModelFile(files: readonly File[]): Promise<{ picked: File; model: File } | undefined> {
  const picked = modelFileOf(files);
  if (!picked || picked.size === 0) return undefined;
  const bytes = new Uint8Array(await picked.arrayBuffer());
  if (!externalDataFiles(bytes).length) return { picked, model: picked };
  const others = new Map(await Promise.all(files.filter((f) => f !== picked).map(async (f) => [dataFileName(f.name), new Uint8Array(await f.arrayBuffer())] as const)));
  return { picked, model: new File([embedExternalData(bytes, others, picked.name) as Uint8Array<ArrayBuffer>], picked.name) };
}

/** Which of the picked files is the model: the .onnx among them, else the first. */
export const modelFileOf = (files: readonly File[]): File | undefined => files.find((f) => f.name.toLowerCase().endsWith('.onnx')) ?? files[0];

/** The own-model form's picked files (the "file" field may hold a model and its data file). */
export const formFiles = (data: FormData): File[] => data.getAll('file').filter((f): f is File => f instanceof File && f.size > 0);
