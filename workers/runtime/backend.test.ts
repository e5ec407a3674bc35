import { describe, expect, it } from 'vitest';
import { decideBackend, isSoftwareAdapter, type AdapterInfo } from './backend.ts';

/** What headless Chromium 156 reports with --enable-unsafe-webgpu and no GPU (RUNTIME-NOTES.md). */
const swiftShader: AdapterInfo = { vendor: 'google', architecture: 'swiftshader', description: '', isFallbackAdapter: true, features: [] };
/** Older Chromium: no isFallbackAdapter, only the adapter info names it. */
const oldSwiftShader: AdapterInfo = { ...swiftShader, isFallbackAdapter: false };
const lavapipe: AdapterInfo = { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)', isFallbackAdapter: false, features: [] };
const hardware: AdapterInfo = { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3060', isFallbackAdapter: false, features: ['shader-f16'] };

describe('isSoftwareAdapter', () => {
  it('recognises software renderers by flag or by name', () => {
    expect(isSoftwareAdapter(swiftShader)).toBe(true);
    expect(isSoftwareAdapter(oldSwiftShader)).toBe(true);
    expect(isSoftwareAdapter(lavapipe)).toBe(true);
    expect(isSoftwareAdapter({ ...hardware, vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
  });

  it('does not flag hardware adapters, including ones whose names merely contain the letters', () => {
    expect(isSoftwareAdapter(hardware)).toBe(false);
    expect(isSoftwareAdapter({ ...hardware, vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770 (Hardwarex)' })).toBe(false);
    expect(isSoftwareAdapter({ ...hardware, vendor: 'apple', architecture: 'metal-3', description: 'Apple M2' })).toBe(false);
  });
});

describe('decideBackend', () => {
  it('Auto never picks a software adapter: it runs WASM and says why', () => {
    for (const adapter of [swiftShader, oldSwiftShader, lavapipe]) {
      const choice = decideBackend('auto', adapter);
      expect(choice.ep).toBe('wasm');
      expect(choice.note).toMatch(/software renderer/);
    }
  });

  it('Auto picks a hardware adapter, and WASM when there is none', () => {
    expect(decideBackend('auto', hardware)).toEqual({ ep: 'webgpu' });
    expect(decideBackend('auto', undefined)).toEqual({ ep: 'wasm' });
  });

  it('an explicit WebGPU choice uses any adapter, software included', () => {
    expect(decideBackend('webgpu', swiftShader)).toEqual({ ep: 'webgpu' });
    expect(decideBackend('webgpu', hardware)).toEqual({ ep: 'webgpu' });
  });

  it('an explicit WebGPU choice without an adapter falls back to WASM with a note', () => {
    const choice = decideBackend('webgpu', undefined);
    expect(choice.ep).toBe('wasm');
    expect(choice.note).toMatch(/no adapter/);
  });

  it('an explicit WASM choice is always WASM', () => {
    expect(decideBackend('wasm', hardware)).toEqual({ ep: 'wasm' });
    expect(decideBackend('wasm', swiftShader)).toEqual({ ep: 'wasm' });
  });
});
