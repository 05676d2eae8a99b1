const ACTIONS = ['apply', 'change', 'renew', 'cancel'];

/** The start variables of JOBS.md for a process id `<matter-slug>-<action>`, for a designer to edit before trying. */
export function startVariables(processId: string, username: string): Record<string, unknown> {
  const action = ACTIONS.find((a) => processId.endsWith(`-${a}`));
  const matterSlug = action ? processId.slice(0, -(action.length + 1)) : processId;
  return {
    applicationId: `sandbox-${Date.now().toString(36)}`,
    matterSlug,
    action: action ?? 'apply',
    applicantId: username,
  };
}

/** Parses the variables a designer typed: a JSON object, or the reason it is not one. */
export function parseVariables(text: string): { variables: Record<string, unknown> } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text.trim() || '{}');
  } catch (error) {
    return { problem: `变量不是合法的 JSON：${(error as Error).message}` };
  }
  if (!value || typeof value !== 'object' || Array.isArray(value))
    return { problem: '变量必须是一个 JSON 对象，如 {"applicationId": "…"}' };
  return { variables: value as Record<string, unknown> };
}
