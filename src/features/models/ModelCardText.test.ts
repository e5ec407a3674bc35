import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ModelCardText } from './ModelCardText.tsx';

const render = (markdown: string) => renderToStaticMarkup(createElement(ModelCardText, { markdown }));

describe('ModelCardText', () => {
  it('renders headings, emphasis, code and GFM tables as HTML', () => {
    const html = render('# Model card\n\nNot a **medical device**; see `manifest.json`.\n\n| model | parameters |\n|---|---|\n| segmenter | 1.96 M |\n');
    expect(html).toContain('<h1>Model card</h1>');
    expect(html).toContain('<strong>medical device</strong>');
    expect(html).toContain('<code>manifest.json</code>');
    expect(html).toContain('<table><thead><tr><th>model</th><th>parameters</th></tr></thead><tbody><tr><td>segmenter</td><td>1.96 M</td></tr></tbody></table>');
  });

  it('writes column alignment as a class, never as an inline style the CSP would block', () => {
    const html = render('| left | centre | right |\n|:---|:---:|---:|\n| a | b | c |\n');
    expect(html).toContain('<th class="align-left">left</th><th class="align-center">centre</th><th class="align-right">right</th>');
    expect(html).toContain('<td class="align-left">a</td><td class="align-center">b</td><td class="align-right">c</td>');
    expect(html).not.toContain('style=');
  });

  it('shows raw HTML in a card as text and drops javascript: links', () => {
    const html = render('<img src=x onerror="alert(1)">\n\nInline <b onclick="x()">bold</b> and [a link](javascript:alert(1)).\n');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b ');
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
    expect(html).toContain('&lt;b onclick=&quot;x()&quot;&gt;bold&lt;/b&gt;');
    expect(html).toContain('<a href="">a link</a>');
  });
});
