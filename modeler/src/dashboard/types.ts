/** The figures of `GET /api/v1/metrics` (server/figures/matter-figures.ts). */
export interface MatterFigures {
  matter: string;
  matterName: string;
  applications: number;
  decided: number;
  autoApproved: number;
  autoApprovalRate: number | null;
  prefillRatio: number | null;
  exemptionRatio: number | null;
  submitToDecisionHours: { p50: number | null; p90: number | null };
  returns: number;
  deadlineBreaches: number;
  /** Submissions per hour of the day, Beijing time, 0–23. */
  busiestHours: number[];
}

export interface Figures {
  from: string;
  to: string;
  matters: MatterFigures[];
}

export interface Period {
  from?: string;
  to?: string;
}
