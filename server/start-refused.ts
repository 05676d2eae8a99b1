/** A reason not to start that the operator can fix (a broken matter file, a missing key): printed, exit code 1. */
export class StartRefused extends Error {}
