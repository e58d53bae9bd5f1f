/**
 * Weapon names and EOS ids as field names of the `weapons`, `victims` and `killedBy` maps.
 * Both come from game-server files and are not validated, while MongoDB gives `.` and a leading `$`
 * a meaning in field paths, and an all-digit path part can mean an array position. Those (and `%`,
 * NUL, the empty name) are percent-encoded; every ordinary name is its own field name.
 */
const ORDINARY = /^(?!\d+$)[^.$%\0]+$/;

export function fieldKey(key: string): string {
  if (ORDINARY.test(key)) return key;
  if (key === '') return '%';
  let out = '';
  for (const ch of key) out += ch === '.' || ch === '$' || ch === '%' || ch === '\0' ? `%${hex(ch)}` : ch;
  return /^\d+$/.test(out) ? `%${hex(out.charAt(0))}${out.slice(1)}` : out;
}

/** The name a field key stands for. */
export function keyOfField(field: string): string {
  if (!field.includes('%')) return field;
  if (field === '%') return '';
  return field.replace(/%([0-9A-F]{2})/g, (_, code: string) => String.fromCharCode(parseInt(code, 16)));
}

function hex(ch: string): string {
  return ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
}
