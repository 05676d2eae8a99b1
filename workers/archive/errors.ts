export type ArchiveErrorCode = 'ARCHIVE_INPUT_INVALID';

/** The closed case cannot be packaged as given (an incomplete record, a file not in a lasting format): retrying will not help. */
export class ArchiveError extends Error {
  constructor(
    readonly code: ArchiveErrorCode,
    readonly problems: string[],
  ) {
    super(`the case cannot be archived: ${problems.join('; ')}`);
    this.name = 'ArchiveError';
  }
}
