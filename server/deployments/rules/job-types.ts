/** The job types a worker of this platform serves (shared/JOBS.md "Job types"); keep in step with that table. */
export const SERVED_JOB_TYPES: readonly string[] = [
  'status',
  'prefill',
  'ocr',
  'review',
  'ai-review',
  'deadline',
  'esign',
  'license-publish',
  'archive',
  'notify',
];

/** The job type a matter process must reach to archive the case. */
export const ARCHIVE_JOB_TYPE = 'archive';

/** Shared sub-processes are `common-<name>` (JOBS.md "Ids and files"); every other process is a matter's. */
export const SHARED_PROCESS_PREFIX = 'common-';
