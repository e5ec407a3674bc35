import { AnalyzePage } from '../features/analyze/AnalyzePage.tsx';
import { CuratePage } from '../features/curate/CuratePage.tsx';
import { EvaluatePage } from '../features/evaluate/EvaluatePage.tsx';
import { GeneratePage } from '../features/generate/GeneratePage.tsx';
import { MasksPage } from '../features/masks/MasksPage.tsx';
import { ModelsPage } from '../features/models/ModelsPage.tsx';
import { ColorSchemeControl } from './ColorSchemeControl.tsx';
import { useRoute, type Route } from './routes.ts';
import { SettingsButton, SettingsPanel } from './SettingsPanel.tsx';
import { StatusBar } from './StatusBar.tsx';

const PAGES: Record<Route, { label: string; Page: () => React.JSX.Element }> = {
  analyze: { label: 'Analyze', Page: AnalyzePage },
  models: { label: 'Models', Page: ModelsPage },
  generate: { label: 'Generate', Page: GeneratePage },
  masks: { label: 'Masks', Page: MasksPage },
  evaluate: { label: 'Evaluate', Page: EvaluatePage },
  curate: { label: 'Curate', Page: CuratePage },
};

export function App() {
  const route = useRoute();
  const { Page } = PAGES[route];
  return (
    <div className="shell">
      <header className="topbar">
        <h1 className="brand">CXR Studio</h1>
        <nav aria-label="Pages" className="topnav">
          {Object.entries(PAGES).map(([name, { label }]) => (
            <a key={name} href={`#/${name}`} aria-current={route === name ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <div className="topbar-end">
          <ColorSchemeControl />
          <SettingsButton />
        </div>
      </header>
      <SettingsPanel />
      <main>
        <Page />
      </main>
      <StatusBar />
    </div>
  );
}
