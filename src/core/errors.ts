/**
 * Errors are data: every failure a user can meet has a `code`. Errors cross
 * the comlink boundary as plain objects (see `toErrorPayload`) and are turned
 * into the words a user reads in exactly one place: `userMessage`.
 */

export type ErrorCode =
  | 'manifest-invalid'
  | 'model-missing'
  | 'model-truncated'
  | 'model-hash-mismatch'
  | 'model-load-failed'
  | 'model-io-mismatch'
  | 'image-decode-failed'
  | 'image-unsupported'
  | 'dicom-unsupported'
  | 'image-too-large'
  | 'image-implausible'
  | 'labels-invalid'
  | 'archive-invalid'
  | 'archive-unsafe'
  | 'mask-size-mismatch'
  | 'file-unreadable'
  | 'settings-invalid'
  | 'backend-unavailable'
  | 'inference-failed'
  | 'worker-stopped'
  | 'backend-changed'
  | 'models-changed'
  | 'gpu-device-lost'
  | 'aborted'
  | 'unknown';

export class StudioError extends Error {
  readonly code: ErrorCode;
  readonly detail: string;

  constructor(code: ErrorCode, detail: string, options?: { cause?: unknown }) {
    super(detail, options);
    this.name = 'StudioError';
    this.code = code;
    this.detail = detail;
  }
}

export class ManifestError extends StudioError {
  constructor(detail: string) {
    super('manifest-invalid', detail);
    this.name = 'ManifestError';
  }
}

export class ModelFileError extends StudioError {
  constructor(code: 'model-missing' | 'model-truncated' | 'model-hash-mismatch' | 'model-load-failed', detail: string, options?: { cause?: unknown }) {
    super(code, detail, options);
    this.name = 'ModelFileError';
  }
}

export class ImageError extends StudioError {
  constructor(code: 'image-decode-failed' | 'image-unsupported' | 'dicom-unsupported' | 'image-too-large' | 'image-implausible', detail: string, options?: { cause?: unknown }) {
    super(code, detail, options);
    this.name = 'ImageError';
  }
}

export class InferenceError extends StudioError {
  constructor(code: 'model-io-mismatch' | 'inference-failed' | 'backend-unavailable', detail: string, options?: { cause?: unknown }) {
    super(code, detail, options);
    this.name = 'InferenceError';
  }
}

/** What crosses a worker boundary: structured-clone safe. */
export interface ErrorPayload {
  readonly code: ErrorCode;
  readonly detail: string;
}

const ERROR_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'manifest-invalid', 'model-missing', 'model-truncated', 'model-hash-mismatch', 'model-load-failed',
  'model-io-mismatch', 'image-decode-failed', 'image-unsupported', 'dicom-unsupported', 'image-too-large', 'image-implausible',
  'labels-invalid', 'archive-invalid', 'archive-unsafe', 'mask-size-mismatch',
  'file-unreadable', 'settings-invalid', 'backend-unavailable', 'inference-failed', 'worker-stopped', 'backend-changed', 'models-changed', 'gpu-device-lost', 'aborted', 'unknown',
]);

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && ERROR_CODES.has(value);
}

export function toErrorPayload(error: unknown): ErrorPayload {
  if (error instanceof StudioError) return { code: error.code, detail: error.detail };
  if (error instanceof DOMException && error.name === 'AbortError') return { code: 'aborted', detail: error.message };
  if (typeof error === 'object' && error !== null && isErrorCode((error as { code?: unknown }).code)) {
    const { code, detail, message } = error as { code: ErrorCode; detail?: unknown; message?: unknown };
    return { code, detail: String(detail ?? message ?? '') };
  }
  if (error instanceof Error) return { code: 'unknown', detail: error.message };
  return { code: 'unknown', detail: String(error) };
}

/**
 * Rebuild a StudioError on the receiving side. Comlink serialises a thrown
 * Error as name/message/stack only, so workers encode the code into the
 * message as `[code] detail`; this reads either form back.
 */
export function fromErrorPayload(error: unknown): StudioError {
  if (error instanceof StudioError) return error;
  const payload = toErrorPayload(error);
  if (payload.code === 'unknown') {
    const tagged = /^\[([a-z0-9-]+)\] ([\s\S]*)$/.exec(payload.detail);
    if (tagged && isErrorCode(tagged[1])) return new StudioError(tagged[1], tagged[2]);
  }
  return new StudioError(payload.code, payload.detail);
}

/** An Error whose message carries its code, so it survives comlink's error serialisation. */
export function toTransferableError(error: unknown): Error {
  const { code, detail } = toErrorPayload(error);
  const wire = new Error(`[${code}] ${detail}`);
  wire.name = 'StudioError';
  return wire;
}

const USER_WORDS: Record<ErrorCode, string> = {
  'manifest-invalid': 'The model description (manifest) is not valid.',
  'model-missing': 'A model file could not be found.',
  'model-truncated': 'A model file is incomplete (it is shorter than expected or cut off).',
  'model-hash-mismatch': 'A model file does not match its expected checksum; it may be corrupt or the wrong file.',
  'model-load-failed': 'The model could not be loaded; the file may be damaged or not an ONNX model.',
  'model-io-mismatch': 'The model does not have the inputs or outputs its description promises.',
  'image-decode-failed': 'This image could not be read; the file may be damaged.',
  'image-unsupported': 'This file is not a supported image. Open a PNG, JPEG or DICOM file.',
  'dicom-unsupported': 'This DICOM file uses a format the studio cannot read yet.',
  'image-too-large': 'This image declares more pixels than the studio decodes; it was not opened.',
  'image-implausible': 'This image is too small or too narrow to be a chest radiograph; it was not scored.',
  'labels-invalid': 'The labels file cannot be used as it is; choose the columns or fix the file.',
  'archive-invalid': 'The zip file could not be read; it may be damaged.',
  'archive-unsafe': 'A file in the zip tries to leave its folder and was skipped.',
  'mask-size-mismatch': 'The mask does not have the same size as its image.',
  'file-unreadable': 'A file could not be read; it may be missing, unreadable or damaged inside its zip.',
  'settings-invalid': 'A setting has a value that cannot be used.',
  'backend-unavailable': 'The selected compute backend is not available in this browser.',
  'inference-failed': 'Running the model failed.',
  'worker-stopped': 'The background worker stopped unexpectedly (the browser may have closed it or run out of memory).',
  'backend-changed': 'The compute backend was changed in Settings, which stopped the work in progress.',
  'models-changed': 'The classifier or segmenter was changed on the Models page, which stopped the work in progress.',
  'gpu-device-lost': 'The GPU stopped responding (its device was lost), which stopped the work in progress.',
  aborted: 'The operation was cancelled.',
  unknown: 'Something went wrong.',
};

/** The one place codes become words a user reads. */
export function userMessage(error: unknown): { title: string; detail: string; code: ErrorCode } {
  const studioError = fromErrorPayload(error);
  return { title: USER_WORDS[studioError.code], detail: studioError.detail, code: studioError.code };
}
