import { memo, type ReactNode } from 'react';
import { parseMarkdown, type Align, type Block, type Inline } from '../../lib/client/shared/markdown.ts';

/** Renders Markdown as React text nodes only (no innerHTML), so a reply cannot inject markup. */
export const Markdown = memo(function Markdown({ source }: { source: string }) {
  return <div className="vibes-prose">{parseMarkdown(source).map(renderBlock)}</div>;
});

function renderBlock(block: Block, index: number): ReactNode {
  switch (block.type) {
    case 'paragraph':
      return <p key={index}>{block.children.map(renderInline)}</p>;
    case 'heading': {
      const Tag = (['h3', 'h3', 'h4', 'h5', 'h6', 'h6'] as const)[block.level - 1] ?? 'h6';
      return <Tag key={index}>{block.children.map(renderInline)}</Tag>;
    }
    case 'code':
      return (
        <pre key={index} data-lang={block.lang || undefined} tabIndex={0}>
          <code>{block.text}</code>
        </pre>
      );
    case 'list': {
      const items = block.items.map((item, i) => <li key={i}>{item.map(renderInline)}</li>);
      return block.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
    }
    case 'quote':
      return <blockquote key={index}>{block.children.map(renderBlock)}</blockquote>;
    case 'table':
      // Wider than the screen: the table scrolls sideways in its own box, the page does not.
      return (
        <div key={index} className="vibes-table" tabIndex={0} role="region" aria-label="Table">
          <table>
            <thead>
              <tr>
                {block.header.map((cell, column) => (
                  <th key={column} style={alignStyle(block.align[column])}>
                    {cell.map(renderInline)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, column) => (
                    <td key={column} style={alignStyle(block.align[column])}>
                      {cell.map(renderInline)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
    case 'rule':
      return <hr key={index} />;
  }
}

function alignStyle(align: Align | undefined): { textAlign: 'left' | 'center' | 'right' } | undefined {
  return align ? { textAlign: align } : undefined;
}

function renderInline(inline: Inline, index: number): ReactNode {
  switch (inline.type) {
    case 'text':
      return inline.text;
    case 'code':
      return <code key={index}>{inline.text}</code>;
    case 'strong':
      return <strong key={index}>{inline.children.map(renderInline)}</strong>;
    case 'em':
      return <em key={index}>{inline.children.map(renderInline)}</em>;
    case 'link':
      return (
        <a key={index} href={inline.href} target="_blank" rel="noopener noreferrer">
          {inline.children.map(renderInline)}
        </a>
      );
  }
}
