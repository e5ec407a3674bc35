import charls from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpeg from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import openjph from '@cornerstonejs/codec-openjph/wasm?url';
import { locateCodecWasm } from '../../src/core/image/dicomCodecs.ts';

// Side-effect import for workers that decode DICOM: tells the JPEG-LS, JPEG 2000 and HTJ2K
// decoders where Vite put their .wasm files (same origin; fetched on first use only).
locateCodecWasm({ charls, openjpeg, openjph });
