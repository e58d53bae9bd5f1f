/** Cutting text to Discord's limits without breaking what is left. */

/** `text` within `max` characters; a cut one ends with `…`. Never splits a surrogate pair (an emoji). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/**
 * As many of `lines` as fit in `max` characters joined by newlines, whole lines only, and when some
 * are left out a last line saying how many (`+37 more`), itself within `max`.
 */
export function fitLines(lines: readonly string[], max: number, more = (n: number) => `+${n} more`): string {
  const all = lines.join('\n');
  if (all.length <= max) return all;
  const kept: string[] = [];
  let length = 0;
  for (const line of lines) {
    const added = (kept.length === 0 ? 0 : 1) + line.length;
    const tail = more(lines.length - kept.length - 1);
    if (length + added + 1 + tail.length > max) break;
    kept.push(line);
    length += added;
  }
  return truncate([...kept, more(lines.length - kept.length)].join('\n'), max);
}
