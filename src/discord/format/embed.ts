import type { APIEmbed, APIEmbedField } from 'discord.js';
import { truncate } from './text.js';

/** What Discord accepts in one embed (it refuses more with 50035). */
export const EMBED_LIMITS = {
  title: 256, description: 4096, fields: 25, fieldName: 256, fieldValue: 1024, footer: 2048, author: 256, total: 6000,
} as const;

export interface EmbedField {
  name: string;
  value: string;
  inline?: boolean;
}

/** An embed as a handler writes it, before it is fitted to Discord's limits. */
export interface EmbedDraft {
  title?: string;
  description?: string;
  color?: number;
  fields?: readonly EmbedField[];
  footer?: string;
  /** ISO-8601. */
  timestamp?: string;
}

/**
 * The draft within Discord's embed limits: each text cut to its own limit, at most 25 fields, and
 * fields left out from the end until the whole is within 6,000 characters; the footer then says
 * how many were left out, so nothing vanishes silently.
 */
export function buildEmbed(draft: EmbedDraft): APIEmbed {
  const L = EMBED_LIMITS;
  const fields: APIEmbedField[] = (draft.fields ?? []).map((f) => ({
    name: truncate(f.name, L.fieldName) || '-',
    value: truncate(f.value, L.fieldValue) || '-',
    ...(f.inline === undefined ? {} : { inline: f.inline }),
  }));
  let kept = Math.min(fields.length, L.fields);
  while (kept > 0 && embedSize(assemble(draft, fields, kept)) > L.total) kept -= 1;
  const embed = assemble(draft, fields, kept);
  const over = embedSize(embed) - L.total;
  if (over > 0 && embed.description !== undefined) embed.description = truncate(embed.description, embed.description.length - over);
  return embed;
}

function assemble(draft: EmbedDraft, fields: readonly APIEmbedField[], kept: number): APIEmbed {
  const L = EMBED_LIMITS;
  const left = fields.length - kept;
  const footer = truncate([draft.footer ?? '', left > 0 ? `${left} more fields left out` : ''].filter((t) => t !== '').join(' · '), L.footer);
  return {
    ...(draft.title === undefined ? {} : { title: truncate(draft.title, L.title) }),
    ...(draft.description === undefined ? {} : { description: truncate(draft.description, L.description) }),
    ...(draft.color === undefined ? {} : { color: draft.color }),
    ...(kept === 0 ? {} : { fields: fields.slice(0, kept) }),
    ...(footer === '' ? {} : { footer: { text: footer } }),
    ...(draft.timestamp === undefined ? {} : { timestamp: draft.timestamp }),
  };
}

/** Characters Discord counts towards an embed's 6,000: title, description, field names and values, footer, author. */
export function embedSize(embed: APIEmbed): number {
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + (embed.footer?.text.length ?? 0)
    + (embed.author?.name.length ?? 0) + (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
}
