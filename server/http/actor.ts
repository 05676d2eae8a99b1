import type { Request } from 'express';

/** Who did it, for the audit log: the signed-in user's id. */
export const actorOf = (req: Request): string => req.principal?.id ?? 'anonymous';
