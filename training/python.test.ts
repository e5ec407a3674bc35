import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The training code's own unit tests (every test_*.py under training/, plain unittest) as part of
 * `npm test`, one Vitest case per file, so a change to the data reader, the augmentation
 * or the LOSO bookkeeping is caught where every other test is. They need a python with
 * torch, numpy and PIL (Debian's python3-torch; .ci/run installs it); without one each file
 * is skipped with the reason. The GPU runs themselves are not tests: training/README.md.
 */
const ROOT = resolve(import.meta.dirname, '..');
const CANDIDATES = [process.env.CXR_TRAINING_PYTHON, '/work/venv-ort/bin/python', '/usr/bin/python3', 'python3'].filter((p): p is string => Boolean(p));
const importsAll = (python: string) => spawnSync(python, ['-c', 'import torch, numpy, PIL'], { encoding: 'utf8' }).status === 0;
const PYTHON = CANDIDATES.find(importsAll);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === '__pycache__' ? [] : testFiles(path);
    return /^test_.*\.py$/.test(entry.name) ? [path] : [];
  });
}

const FILES = testFiles(join(ROOT, 'training')).map((path) => relative(ROOT, path)).sort();

describe('training/ python unit tests', () => {
  it('finds the test files', () => {
    expect(FILES).toContain('training/evaluate/test_loso.py');
  });

  for (const file of FILES) {
    const skip = PYTHON ? '' : ` skipped: no python with torch, numpy and PIL among ${CANDIDATES.join(', ')} (set CXR_TRAINING_PYTHON; training/README.md "Set-up")`;
    it.skipIf(!PYTHON)(`${file}${skip}`, () => {
      const module = file.replace(/\.py$/, '').split('/').join('.');
      const run = spawnSync(PYTHON!, ['-m', 'unittest', '-v', module], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
      const output = `${run.stdout}\n${run.stderr}`;
      // unittest's summary: "Ran N tests" and "OK" (possibly "OK (skipped=k)"), or FAILED
      expect(output, output).toMatch(/\nOK\b/);
      expect(run.status, output).toBe(0);
      const ran = Number(/Ran (\d+) tests?/.exec(output)?.[1] ?? 0);
      const defined = (readFileSync(join(ROOT, file), 'utf8').match(/^\s+def test_/gm) ?? []).length;
      expect(ran, `${file} defines ${defined} test methods`).toBe(defined);
    });
  }
});
