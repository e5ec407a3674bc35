/**
 * The CLI's commands by name, each loaded on first use. main.ts dispatches on
 * it; cli/docCommands.test.ts checks every command the docs print against it.
 */
export interface Command {
  run(argv: string[]): Promise<number>;
  usage: string;
}

export const commands: Record<string, () => Promise<Command>> = {
  analyze: () => import('./analyze.ts'),
  generate: () => import('./generate.ts'),
  evaluate: () => import('./evaluate.ts'),
  'augment-experiment': () => import('./augmentExperiment.ts'),
  judge: () => import('./judge.ts'),
  batch: () => import('./batch/command.ts'),
  'own-model': () => import('./ownModel.ts'),
};
