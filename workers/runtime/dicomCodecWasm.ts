import charls from '@cornerstonejs/codec-charls/decodewasm?url';
import openjpeg from '@cornerstonejs/codec-openjpeg/decodewasm?url';
import { locateCodecWasm } from '../../src/core/image/dicomCodecs.ts';

// Side-effect import for workers that decode DICOM: tells the JPEG-LS and JPEG 2000
// decoders where Vite put their .wasm files (same origin; fetched on first use only).
locateCodecWasm({ charls, openjpeg });
