/**
 * How the demo shows Discord in a terminal: a message as its channel, title, text and fields, one
 * per line, indented. Plain text only (no colour codes), so it reads the same in a log file.
 */
interface Embed { title?: string; description?: string; fields?: { name: string; value: string }[]; footer?: { text: string } }

export function showMessage(where: string, message: { content?: string; embeds?: readonly unknown[] }): string {
  const lines: string[] = [];
  if (message.content) lines.push(...message.content.split('\n'));
  for (const raw of message.embeds ?? []) {
    const embed = raw as Embed;
    const head = [embed.title, embed.description].filter((t) => t !== undefined && t !== '').join(': ');
    if (head) lines.push(head);
    // Zero-width fields only lay out a row in Discord.
    const fields = (embed.fields ?? []).filter((f) => f.name.trim().replace(/\u200b/g, '') !== '')
      .map((f) => `${f.name}: ${f.value.replace(/\n/g, ' · ')}`);
    if (fields.length > 0) lines.push(`  ${fields.join(' | ')}`);
    if (embed.footer?.text) lines.push(`  (${embed.footer.text})`);
  }
  const [first = '', ...rest] = lines.map(plain);
  return [`${where} ${first}`, ...rest.map((l) => `${' '.repeat(Math.min(where.length + 1, 24))}${l}`)].join('\n');
}

/** Discord markdown a terminal shows as noise: bold, code marks and escapes. */
function plain(text: string): string {
  return text.replace(/\*\*/g, '').replace(/```/g, '').replace(/\\([*_~|>`\\])/g, '$1');
}
