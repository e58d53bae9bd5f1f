export type { LogSource, DirEntry, FileStat, ReadOptions } from './types.js';
export { joinPath, baseName } from './types.js';
export { SourceError, SourceErrors, classifyError, type SourceErrorKind } from './errors.js';
export { createLocalSource } from './local-source.js';
export { createSftpSource, type SftpSource, type SftpSourceDeps } from './sftp-source.js';
export { createSftpPool, type SftpPool, type SftpPoolOptions } from './sftp-pool.js';
export {
  LEGACY_ALGORITHMS, normalizeFingerprint, validateSftpConfig, type SftpServerConfig, type AlgorithmOverrides,
} from './sftp-config.js';
export { fingerprintKey, type ConnectionEvent } from './sftp-connection.js';
export { discoverLayout, listDeathLogs, type ServerLayout, type DiscoverOptions } from './discovery.js';
export { newCursor, fingerprintOf, headMatches, FINGERPRINT_BYTES, type FileCursor } from './cursor.js';
export { planFileRead, planServerLogRead, type FilePlan, type FileFacts, type RestartReason } from './read-plan.js';
export {
  planDeathLogFolder, listingDue, afterListing, DEATH_LOG_NAME, NEVER_LISTED,
  type DeathLogFolderPlan, type FolderWatch,
} from './death-log-plan.js';
export { readFileUpdate, findResumePoint, type LogChunk, type FileUpdate, type FileUpdateOptions, type ResumePoint } from './file-update.js';
export { readDeathLogUpdate, newDeathLogCursor, type DeathLogCursor, type DeathLogUpdate } from './death-log-update.js';
export { readServerLogUpdate, newServerLogCursor, type ServerLogUpdate } from './server-log-update.js';
