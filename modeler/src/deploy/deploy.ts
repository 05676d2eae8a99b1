import { ApiError, type Api, type DeployFile } from '../api/client';
import type { Deployment, Problem } from '../api/types';
import type { Notice } from '../ui/notice';
import { fromServer, type ProblemsPanel } from './problems-panel';

export interface DeployedVersion {
  id: string;
  version: number;
  unchanged: boolean;
  deployment: Deployment;
}

const KIND_NAMES = { bpmn: '流程', dmn: '审查表', form: '表单' } as const;

/**
 * Deploys one file as `POST /deployments` does for Camunda's clients; says what came of it in the notice and lists the
 * server's problems (refusal) or warnings. Resolves undefined when the server refused.
 */
export async function deployFile(
  api: Api,
  file: DeployFile,
  ui: { notice: Notice; problems: ProblemsPanel; showProblems(): void },
): Promise<DeployedVersion | undefined> {
  try {
    const deployment = await api.deploy([file]);
    const resource = deployment.resources[0];
    const what = `${KIND_NAMES[resource.kind]} ${resource.id}`;
    ui.problems.show('部署结果', fromServer(deployment.warnings ?? [], 'warning'));
    if (resource.unchanged) ui.notice.show('info', `内容没有变化：${what} 仍是版本 ${resource.version}`);
    else ui.notice.show('success', `已部署 ${what}，版本 ${resource.version}`);
    return { id: resource.id, version: resource.version, unchanged: Boolean(resource.unchanged), deployment };
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      const problems = Array.isArray(error.details) ? (error.details as Problem[]) : [{ file: file.name, message: error.message }];
      ui.problems.show(`服务器拒绝部署：${problems.length} 个问题，什么也没有部署`, fromServer(problems, 'error'));
      ui.showProblems();
      ui.notice.show('error', `服务器拒绝部署 ${file.name}：${problems.length} 个问题（见“问题”）`);
      return undefined;
    }
    ui.notice.show('error', `部署失败：${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}
