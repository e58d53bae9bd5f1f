/** How a member reads an embed's markdown: escapes resolved, bold markers gone. Test helper only. */

const SPECIAL = new Set(['*', '_', '~', '|', '`', '>', '<', '\\']);

/** The text as shown: `\x` shows `x`, `**` shows nothing. */
export function asRead(markdown: string): string {
  let out = '';
  for (let i = 0; i < markdown.length; i += 1) {
    const c = markdown[i]!;
    if (c === '\\' && i + 1 < markdown.length) {
      out += markdown[i + 1];
      i += 1;
    } else if (c === '*' && markdown[i + 1] === '*') {
      i += 1;
    } else {
      out += c;
    }
  }
  return out;
}

/** The markdown characters left unescaped (each would format or quote what follows). */
export function unescapedMarkdown(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (c === '\\') i += 1;
    else if (SPECIAL.has(c)) found.push(c);
  }
  return found;
}
