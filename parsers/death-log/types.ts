/** What one death-log row means, by the counting rules in shared/docs/deadside-formats.md. */
export type DeathKind = 'kill' | 'environment' | 'suicide';

/** Sub-kind of a suicide, read from the weapon column. */
export type SuicideCause = 'relocation' | 'fall' | 'other';

/** A well-formed death-log row, classified. Times are UTC milliseconds since the epoch. */
export interface DeathEvent {
  kind: DeathKind;
  /** Only for `kind === 'suicide'`. */
  suicideCause?: SuicideCause;
  time: number;
  /** Empty strings for environment deaths. */
  killerName: string;
  killerId: string;
  victimName: string;
  victimId: string;
  weapon: string;
  /** Whole metres. */
  distance: number;
  /** Present only in the 9-field format (e.g. `PS5`, `XSX`). */
  killerPlatform?: string;
  victimPlatform?: string;
  /** 1-based line number within its file. */
  line: number;
}

/** A row that broke the rules: counted and located, never thrown, never silently dropped. */
export interface MalformedRow {
  file: string;
  line: number;
  reason: string;
  /** The start of the raw row, for the admin to look at (at most 120 characters). */
  excerpt: string;
}
