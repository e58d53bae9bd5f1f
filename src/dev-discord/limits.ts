/**
 * Discord's limits on a message body (content, embeds) and on autocomplete choices, reported as
 * 50035 Invalid Form Body with the field path, as Discord reports them.
 */
import { apiErrors, type FieldProblem } from './errors.js';

type Path = (string | number)[];

const EMBED_TEXT_LIMITS: [Path, number][] = [
  [['title'], 256], [['description'], 4096], [['footer', 'text'], 2048], [['author', 'name'], 256],
];

function tooLong(path: Path, max: number): FieldProblem {
  return { path, code: 'BASE_TYPE_MAX_LENGTH', message: `Must be ${max} or fewer in length.` };
}

function textAt(value: unknown, path: Path): string | undefined {
  let node = value;
  for (const key of path) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined;
  return typeof node === 'string' ? node : undefined;
}

function embedProblems(embed: Record<string, unknown>, at: Path): { problems: FieldProblem[]; size: number } {
  const problems: FieldProblem[] = [];
  let size = 0;
  for (const [path, max] of EMBED_TEXT_LIMITS) {
    const text = textAt(embed, path) ?? '';
    size += text.length;
    if (text.length > max) problems.push(tooLong([...at, ...path], max));
  }
  const fields = Array.isArray(embed.fields) ? (embed.fields as Record<string, unknown>[]) : [];
  if (fields.length > 25) problems.push(tooLong([...at, 'fields'], 25));
  fields.forEach((field, i) => {
    for (const [key, max] of [['name', 256], ['value', 1024]] as const) {
      const text = typeof field[key] === 'string' ? field[key] : '';
      size += text.length;
      if (text.length === 0) problems.push({ path: [...at, 'fields', i, key], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
      if (text.length > max) problems.push(tooLong([...at, 'fields', i, key], max));
    }
  });
  return { problems, size };
}

/** Problems of a message body's content and embeds; `prefix` is where the body sits (`['data']` in a callback). */
export function messageProblems(body: Record<string, unknown>, prefix: Path = []): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof body.content === 'string' && body.content.length > 2000) problems.push(tooLong([...prefix, 'content'], 2000));
  const embeds = Array.isArray(body.embeds) ? (body.embeds as Record<string, unknown>[]) : [];
  if (embeds.length > 10) problems.push(tooLong([...prefix, 'embeds'], 10));
  let total = 0;
  embeds.forEach((embed, i) => {
    const found = embedProblems(embed, [...prefix, 'embeds', i]);
    problems.push(...found.problems);
    total += found.size;
  });
  problems.push(...componentProblems(body, prefix));
  // Discord reports the 6,000-character total on `embeds` itself, for all of a message's embeds together.
  if (total > 6000) problems.push({ path: [...prefix, 'embeds'], code: 'MAX_EMBED_SIZE_EXCEEDED', message: 'Embed size exceeds maximum size of 6000' });
  return problems;
}

/** Action rows of buttons and selects: 5 rows, 5 buttons a row, custom ids up to 100, labels up to 80. */
function componentProblems(body: Record<string, unknown>, prefix: Path): FieldProblem[] {
  const rows = Array.isArray(body.components) ? (body.components as Record<string, unknown>[]) : [];
  const componentsV2 = (Number(body.flags ?? 0) & 32768) !== 0;
  const problems: FieldProblem[] = [];
  if (!componentsV2 && rows.length > 5) problems.push(tooLong([...prefix, 'components'], 5));
  rows.forEach((row, i) => {
    const items = row.type === 1 && Array.isArray(row.components) ? (row.components as Record<string, unknown>[]) : [];
    if (items.length > 5) problems.push(tooLong([...prefix, 'components', i, 'components'], 5));
    items.forEach((item, j) => {
      const at = [...prefix, 'components', i, 'components', j];
      if (typeof item.custom_id === 'string' && item.custom_id.length > 100) problems.push(tooLong([...at, 'custom_id'], 100));
      if (typeof item.label === 'string' && item.label.length > 80) problems.push(tooLong([...at, 'label'], 80));
    });
  });
  return problems;
}

/** Throws 50035 for a modal Discord would not show: title up to 45, 1 to 5 components, labels up to 45. */
export function checkModal(data: Record<string, unknown>): void {
  const problems: FieldProblem[] = [];
  const components = Array.isArray(data.components) ? (data.components as Record<string, unknown>[]) : [];
  if (typeof data.custom_id !== 'string' || data.custom_id.length === 0) problems.push({ path: ['data', 'custom_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  if (typeof data.title !== 'string' || data.title.length === 0) problems.push({ path: ['data', 'title'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
  else if (data.title.length > 45) problems.push(tooLong(['data', 'title'], 45));
  if (components.length === 0 || components.length > 5) problems.push({ path: ['data', 'components'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 5 in length.' });
  components.forEach((c, i) => {
    const label = c.type === 18 ? c.label : Array.isArray(c.components) ? (c.components as Record<string, unknown>[])[0]?.label : undefined;
    if (typeof label === 'string' && label.length > 45) problems.push(tooLong(['data', 'components', i, 'label'], 45));
  });
  if (problems.length > 0) throw apiErrors.invalidFormBody(problems);
}

/** Throws 50035 when the body breaks a limit. */
export function checkMessageBody(body: Record<string, unknown>, prefix: Path = []): void {
  const problems = messageProblems(body, prefix);
  if (problems.length > 0) throw apiErrors.invalidFormBody(problems);
}

/** Throws 50006 for a new message with nothing in it, as Discord does. */
export function checkNotEmpty(body: Record<string, unknown>): void {
  const hasContent = typeof body.content === 'string' && body.content.length > 0;
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  const hasComponents = Array.isArray(body.components) && body.components.length > 0;
  if (!hasContent && !hasEmbeds && !hasComponents) throw apiErrors.emptyMessage();
}

/** Throws 50035 for more than 25 autocomplete choices or a choice name over 100 characters. */
export function checkChoices(choices: unknown): void {
  const list = Array.isArray(choices) ? (choices as Record<string, unknown>[]) : [];
  const problems: FieldProblem[] = [];
  if (list.length > 25) problems.push(tooLong(['data', 'choices'], 25));
  list.forEach((c, i) => {
    if (typeof c.name === 'string' && c.name.length > 100) problems.push(tooLong(['data', 'choices', i, 'name'], 100));
  });
  if (problems.length > 0) throw apiErrors.invalidFormBody(problems);
}
