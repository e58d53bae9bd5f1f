/**
 * Discord's checks on registered commands (bulk overwrite): names, descriptions, option counts and
 * order, choices, duplicates and the 4,000-character size, reported as 50035 with the field path.
 */
import { apiErrors, type FieldProblem } from './errors.js';

type Path = (string | number)[];
type Definition = Record<string, unknown>;

const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function list(value: unknown): Definition[] {
  return Array.isArray(value) ? (value as Definition[]) : [];
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function checkNamed(d: Definition, at: Path, chatInput: boolean, problems: FieldProblem[]): number {
  const name = text(d.name);
  if (!NAME.test(name) || (chatInput && name !== name.toLowerCase())) {
    problems.push({ path: [...at, 'name'], code: 'APPLICATION_COMMAND_INVALID_NAME', message: 'Command name is invalid' });
  }
  const description = text(d.description);
  if (chatInput && (description.length < 1 || description.length > 100)) {
    problems.push({ path: [...at, 'description'], code: 'BASE_TYPE_BAD_LENGTH', message: 'Must be between 1 and 100 in length.' });
  }
  return name.length + description.length;
}

function checkOptions(options: Definition[], at: Path, problems: FieldProblem[]): number {
  if (options.length > 25) problems.push({ path: at, code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
  let size = 0;
  let optionalSeen = false;
  const names = new Set<string>();
  options.forEach((o, i) => {
    size += checkNamed(o, [...at, i], true, problems);
    if (names.has(text(o.name))) problems.push({ path: [...at, i, 'name'], code: 'APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS', message: 'Option names must be unique' });
    names.add(text(o.name));
    const isSub = o.type === 1 || o.type === 2;
    if (!isSub && o.required === true && optionalSeen) {
      problems.push({ path: [...at, i, 'required'], code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID', message: 'Required options must be placed before non-required options' });
    }
    if (!isSub && o.required !== true) optionalSeen = true;
    const choices = list(o.choices);
    if (choices.length > 25) problems.push({ path: [...at, i, 'choices'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 25 or fewer in length.' });
    if (choices.length > 0 && o.autocomplete === true) {
      problems.push({ path: [...at, i, 'autocomplete'], code: 'APPLICATION_COMMAND_AUTOCOMPLETE_WITH_CHOICES', message: 'Autocomplete cannot be set with choices' });
    }
    size += choices.reduce((n, c) => n + text(c.name).length + String(c.value ?? '').length, 0);
    if (isSub) size += checkOptions(list(o.options), [...at, i, 'options'], problems);
  });
  return size;
}

/** Throws 50035 unless every command of a bulk overwrite would be accepted by Discord. */
export function checkCommandDefinitions(commands: Definition[]): void {
  const problems: FieldProblem[] = [];
  const seen = new Set<string>();
  commands.forEach((c, i) => {
    const chatInput = (c.type ?? 1) === 1;
    let size = checkNamed(c, [i], chatInput, problems);
    size += checkOptions(list(c.options), [i, 'options'], problems);
    if (size > 4000) problems.push({ path: [i], code: 'APPLICATION_COMMAND_TOO_LARGE', message: 'Command exceeds maximum size (4000)' });
    const key = `${String(c.type ?? 1)} ${text(c.name)}`;
    if (seen.has(key)) problems.push({ path: [i, 'name'], code: 'APPLICATION_COMMANDS_DUPLICATE_NAME', message: 'Application command names must be unique' });
    seen.add(key);
  });
  if (commands.length > 100) problems.push({ path: [], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 100 or fewer in length.' });
  if (problems.length > 0) throw apiErrors.invalidFormBody(problems);
}
