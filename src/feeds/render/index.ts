/**
 * How feed items look in Discord. Pure: events in, embeds and text out; the delivery (src/feeds)
 * decides where and when they go.
 */
export { renderDeath, isStreakMilestone, LONG_SHOT_METRES, STREAK_STEP, type DeathContext } from './death.js';
export { renderAnnouncement, feedKindOf, missionName } from './announcement.js';
export { backlogSummary, type BacklogCounts } from './backlog.js';
export { escapeName } from './names.js';
export { COLOURS } from './colours.js';
