/** The answer of every identifier check: a reason in plain Chinese when the value is not valid. */
export type Validation = { valid: true } | { valid: false; reason: string };

export const valid: Validation = { valid: true };

export const invalid = (reason: string): Validation => ({ valid: false, reason });
