import { truncate } from './text.js';

export interface TableOptions {
  /** The whole text, fences and the `+N more` line included, stays within this many characters. */
  maxChars: number;
  /** Longer cells are cut with `…` (default 32). */
  maxCellWidth?: number;
  /** Column indexes aligned right (numbers). */
  alignRight?: readonly number[];
}

/**
 * Rows as a fixed-width table in a code block, for an embed field or description. Rows that do not fit
 * are left out from the end and counted on a line after the block (`+37 more`). Backticks in cells are
 * replaced so a server named with them cannot close the block early.
 */
export function codeTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions): string {
  const cellWidth = options.maxCellWidth ?? 32;
  const cells = [header, ...rows].map((row) => row.map((cell) => truncate(cell.replaceAll('`', 'ˋ'), cellWidth)));
  const widths = header.map((_, c) => Math.max(...cells.map((row) => row[c]?.length ?? 0)));
  const right = new Set(options.alignRight ?? []);
  const [head = '', ...body] = cells.map((row) => row.map((cell, c) => {
    const width = widths[c] ?? 0;
    return right.has(c) ? cell.padStart(width) : cell.padEnd(width);
  }).join('  ').trimEnd());
  let shown = body.length;
  while (shown > 0 && block(head, body, shown).length > options.maxChars) shown -= 1;
  return block(head, body, shown);
}

function block(head: string, body: readonly string[], shown: number): string {
  const text = ['```', head, ...body.slice(0, shown), '```'].join('\n');
  return shown < body.length ? `${text}\n+${body.length - shown} more` : text;
}
