/**
 * A modal submit's `data`, mirroring the modal the bot showed: text inputs in action rows (type 1) or
 * in labels (type 18), each with the member's value. Discord does not submit a modal with a required
 * input left empty or with inputs it did not show, so neither can a test.
 */
import { usageError } from './state.js';

type Component = Record<string, unknown>;

function textInput(input: Component, fields: Record<string, string>, seen: Set<string>): Component {
  const customId = String(input.custom_id);
  const value = fields[customId] ?? '';
  seen.add(customId);
  if (value === '' && input.required !== false) throw usageError(`the modal's input "${customId}" is required: Discord does not submit the modal while it is empty.`);
  return { type: 4, ...(input.id === undefined ? {} : { id: input.id }), custom_id: customId, value };
}

/** INTERACTION_CREATE's `data` for submitting `modal` (as the bot sent it) with `fields`. */
export function modalSubmitData(modal: Component, fields: Record<string, string>): Component {
  const seen = new Set<string>();
  const components = (modal.components as Component[]).map((row): Component => {
    if (row.type === 18) {
      const inner = row.component as Component;
      if (inner.type !== 4) throw usageError(`modal "${String(modal.custom_id)}": only text inputs are implemented in labels (got component type ${String(inner.type)}).`);
      return { type: 18, id: row.id, component: textInput(inner, fields, seen) };
    }
    if (row.type === 1) return { type: 1, ...(row.id === undefined ? {} : { id: row.id }), components: (row.components as Component[]).map((c) => textInput(c, fields, seen)) };
    return { type: row.type, id: row.id };
  });
  const unknown = Object.keys(fields).filter((f) => !seen.has(f));
  if (unknown.length > 0) throw usageError(`modal "${String(modal.custom_id)}" has no input(s) ${unknown.join(', ')} (it has: ${[...seen].join(', ')}).`);
  return { custom_id: modal.custom_id, components };
}
