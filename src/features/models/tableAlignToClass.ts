/** The part of a hast (HTML syntax tree) node this plugin reads. */
interface HastNode {
  type: string;
  tagName?: string;
  properties?: Record<string, unknown>;
  children?: HastNode[];
}

/**
 * A rehype plugin: a GFM table cell's `align` (from `|:---:|`) becomes the class
 * `align-<left|center|right>`. Left as `align`, hast-util-to-jsx-runtime turns it into
 * `style="text-align: ..."`, an inline style the studio's Content-Security-Policy blocks.
 */
export function tableAlignToClass() {
  return (tree: HastNode) => visit(tree);
}

function visit(node: HastNode): void {
  const align = node.properties?.align;
  if (node.type === 'element' && (node.tagName === 'td' || node.tagName === 'th') && typeof align === 'string') {
    const existing = node.properties!.className;
    delete node.properties!.align;
    node.properties!.className = [...(Array.isArray(existing) ? existing : []), `align-${align}`];
  }
  for (const child of node.children ?? []) visit(child);
}
