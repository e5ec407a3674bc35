import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The no-restricted-imports messages eslint.config.js gives `code` as if it lived at `filePath`. */
async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await new ESLint({ cwd: ROOT }).lintText(code, { filePath: resolve(ROOT, filePath) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** Type errors of `code` as a file in src/core, under the compiler options of `config`. */
function typeErrors(config: string, code: string): string[] {
  const parsed = ts.getParsedCommandLineOfConfigFile(resolve(ROOT, config), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(String(d.messageText)); } });
  if (!parsed) throw new Error(`${config}: not readable`);
  const probe = resolve(ROOT, 'src/core/metrics/layeringProbe.ts');
  const host = ts.createCompilerHost(parsed.options);
  const readFile = host.readFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (name) => (resolve(name) === probe ? code : readFile(name));
  host.fileExists = (name) => resolve(name) === probe || fileExists(name);
  host.getSourceFile = (name, language, ...rest) => (resolve(name) === probe ? ts.createSourceFile(name, code, language) : getSourceFile(name, language, ...rest));
  const program = ts.createProgram([probe], parsed.options, host);
  return program.getSemanticDiagnostics(program.getSourceFile(probe)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('src/core layering (eslint.config.js, tsconfig.core.json)', () => {
  it('refuses React, stores, comlink, onnxruntime, idb and Node I/O in core', async () => {
    const messages = await restricted(
      ["import { useState } from 'react';", "import { create } from 'zustand';", "import { useQuery } from '@tanstack/react-query';",
        "import * as Comlink from 'comlink';", "import * as ort from 'onnxruntime-web';", "import { openDB } from 'idb';", "import { readFileSync } from 'node:fs';",
        'export const all = [useState, create, useQuery, Comlink, ort, openDB, readFileSync];', ''].join('\n'),
      'src/core/metrics/fixture.ts',
    );
    expect(messages).toHaveLength(7);
    expect(messages[0]).toContain('src/core is pure logic');
    expect(messages[3]).toContain('injected Runner');
    expect(messages[6]).toContain('cli/');
  });
  it('refuses a path from core up into the layers that use it', async () => {
    const messages = await restricted(
      ["import { useSettings } from '../../state/settingsStore.ts';", "import { withCurationWorker } from '../../workers-client/curation.ts';",
        "import type { CurationApi } from '../../../workers/curation.worker.ts';", "import { run } from '../../../cli/generate.ts';",
        "import { loadRealSet } from '../../features/curate/experimentActions.ts';",
        'export const all = [useSettings, withCurationWorker, run, loadRealSet];', 'export type A = CurationApi;', ''].join('\n'),
      'src/core/experiments/fixture.ts',
    );
    expect(messages).toHaveLength(5);
    for (const message of messages) expect(message).toContain('bottom layer');
  });
  it('lets core import its own modules and pure libraries, and core tests drive it from cli/', async () => {
    expect(await restricted("import { encode } from 'fast-png';\nimport { dice } from '../metrics/dice.ts';\nexport const all = [encode, dice];\n", 'src/core/experiments/fixture.ts')).toEqual([]);
    expect(await restricted("import { openModel } from '../../../cli/bundle.ts';\nexport const o = openModel;\n", 'src/core/pipelines/fixture.test.ts')).toEqual([]);
  });
  it('refuses onnxruntime in a page', async () => {
    const messages = await restricted("import * as ort from 'onnxruntime-web';\nexport const o = ort;\n", 'src/features/analyze/fixture.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('workers/runtime');
  });
  it('fails the core typecheck on a DOM global that the app typecheck accepts', () => {
    const code = 'export const title: string = document.title;\nexport const bitmap = (blob: Blob) => createImageBitmap(blob);\n';
    const errors = typeErrors('tsconfig.core.json', code);
    expect(errors.some((e) => e.includes("Cannot find name 'document'"))).toBe(true);
    expect(errors.some((e) => e.includes("Cannot find name 'createImageBitmap'"))).toBe(true);
    expect(typeErrors('tsconfig.json', code)).toEqual([]);
  });
});
