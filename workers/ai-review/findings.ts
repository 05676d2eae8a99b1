import { z } from 'zod';
import { AiReviewError } from './errors';
import type { AdvisoryFinding } from './types';

/** The point of a finding that names none of the review points. */
export const GENERAL_POINT = 'AI';
const MAX_FINDINGS = 20;
const MAX_MESSAGE = 300;

const answerSchema = z.object({ findings: z.array(z.unknown()) });
const findingSchema = z.object({
  point: z.string().optional(),
  severity: z.string().optional(),
  message: z.string().trim().min(1),
  field: z.string().optional(),
});

/** A model's content as JSON; a fenced block (```json … ```) is unwrapped first, as some models send one. */
function json(content: string): unknown {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(content);
  try {
    return JSON.parse(fenced ? fenced[1] : content);
  } catch (error) {
    throw new AiReviewError('malformed', `the model's answer is not JSON: ${content.slice(0, 80)}`, { cause: error });
  }
}

/**
 * The findings of a model's answer, validated: only warnings (any other severity becomes `warn`), points and fields
 * that the case knows (else `AI` and no field), messages cut to a length; an item that is no finding is left out.
 */
export function parseFindings(
  content: string,
  known: { points: readonly string[]; fields: readonly string[] },
): { findings: AdvisoryFinding[]; downgraded: number; dropped: number } {
  const parsed = answerSchema.safeParse(json(content));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AiReviewError('schema', `the model's answer has another shape: ${issue.path.join('.') || 'the answer'}: ${issue.message}`);
  }
  const findings: AdvisoryFinding[] = [];
  let downgraded = 0;
  let dropped = 0;
  for (const item of parsed.data.findings) {
    const finding = findingSchema.safeParse(item);
    if (!finding.success || findings.length === MAX_FINDINGS) {
      dropped++;
      continue;
    }
    const { point, severity, message, field } = finding.data;
    if (severity !== 'warn') downgraded++;
    findings.push({
      point: point && known.points.includes(point) ? point : GENERAL_POINT,
      severity: 'warn',
      message: message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message,
      ...(field && known.fields.includes(field) ? { field } : {}),
    });
  }
  return { findings, downgraded, dropped };
}
