import Markdown from 'react-markdown';
import remarkGfm from 'remark-gfm';
import { tableAlignToClass } from './tableAlignToClass.ts';

const remarkPlugins = [remarkGfm];
const rehypePlugins = [tableAlignToClass];

/**
 * A bundle's model card, rendered from its markdown (GitHub's dialect: tables, task lists,
 * strikethrough). Raw HTML in the card is shown as text, never as markup: a card comes with
 * downloaded weights and is not trusted. Table-column alignment becomes a class instead of
 * the inline style react-markdown writes, which the studio's CSP (style-src 'self') refuses.
 */
export function ModelCardText({ markdown }: { markdown: string }) {
  return (
    // a scrolling box: focusable, so a keyboard can scroll it
    <div className="model-card-text" data-testid="model-card" role="region" aria-label="Model card" tabIndex={0}>
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins}>
        {markdown}
      </Markdown>
    </div>
  );
}
