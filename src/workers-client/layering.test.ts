import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The lint rule that keeps the worker wire protocol behind src/workers-client (eslint.config.js). */
async function restricted(code: string, filePath: string): Promise<string[]> {
  const [result] = await new ESLint().lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('worker layering', () => {
  it('refuses comlink and workers/ imports in a page', async () => {
    const messages = await restricted(
      "import * as Comlink from 'comlink';\nimport type { FileSet } from '../../../workers/evaluation.worker.ts';\nexport const x: FileSet | typeof Comlink | undefined = undefined;\n",
      'src/features/evaluate/fixture.ts',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('src/workers-client');
    expect(messages[1]).toContain('src/contracts');
  });
  it('lets the bridges import the worker API types and a page import the bridge and contracts', async () => {
    expect(await restricted("import type { EvaluationApi } from '../../workers/evaluation.worker.ts';\nexport type A = EvaluationApi;\n", 'src/workers-client/fixture.ts')).toEqual([]);
    expect(await restricted("import { transfer } from '../../workers-client/index.ts';\nimport type { FileSet } from '../../contracts/index.ts';\nexport const x: FileSet | typeof transfer | undefined = undefined;\n", 'src/features/evaluate/fixture.ts')).toEqual([]);
  });
  it('refuses an import of the app shell from a page, since shared stores live in src/state', async () => {
    const messages = await restricted("import { useSettings } from '../../app/settingsStore.ts';\nexport const s = useSettings;\n", 'src/features/generate/fixture.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('src/state');
    expect(await restricted("import { useSettings } from '../../state/settingsStore.ts';\nexport const s = useSettings;\n", 'src/features/generate/fixture.ts')).toEqual([]);
  });
  it('refuses the Mantine components that write inline <style> elements, which the CSP blocks', async () => {
    const messages = await restricted("import { Grid, Stack } from '@mantine/core';\nexport const x = [Grid, Stack];\n", 'src/features/generate/fixture.tsx');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('CSP');
    expect(await restricted("import { Grid } from '@mantine/core';\nexport const x = Grid;\n", 'src/app/fixture.tsx')).toHaveLength(1);
  });
});
