import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../errors';
import { StartRefused } from '../start-refused';
import { sha256 } from './checker';
import type { DeployFile, Problem } from './types';

const DEPLOYABLE = /\.(bpmn|dmn|form)$/i;

export interface RepositoryPorts {
  warm(): Promise<void>;
  /** Source path → checksum of what that file last deployed. */
  checksums(): Promise<Map<string, string>>;
  deploy(files: DeployFile[], sourcePaths: Record<string, string>): Promise<unknown>;
}

/** Every .bpmn, .dmn and .form file under `dir`, as paths relative to it with "/" separators, sorted. */
export function repositoryFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (relative: string) => {
    for (const entry of fs.readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const child = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile() && DEPLOYABLE.test(entry.name)) found.push(child);
    }
  };
  walk('');
  return found.sort();
}

/**
 * JOBS.md: a repository file is deployed when its content differs from what that same file deployed last, so a newer
 * version deployed by a designer stays the latest until the repository file itself changes. `deployed` lists the files
 * deployed now (a file equal to a designer's newest version is recorded and returns that version); `unchanged` the rest.
 */
export async function deployRepository(dir: string, ports: RepositoryPorts): Promise<{ deployed: string[]; unchanged: string[] }> {
  if (!fs.existsSync(dir)) return { deployed: [], unchanged: [] };
  try {
    await ports.warm();
  } catch (error) {
    throw new StartRefused(`The BPMN lint rules do not load (${(error as Error).message}); reinstall the dependencies with "npm ci".`);
  }
  const last = await ports.checksums();
  const changed: DeployFile[] = [];
  const unchanged: string[] = [];
  for (const relative of repositoryFiles(dir)) {
    const content = fs.readFileSync(path.join(dir, relative));
    // An unchanged file is not checked again: a stricter linter after an upgrade does not block a start over it.
    if (last.get(relative) === sha256(content)) unchanged.push(relative);
    else changed.push({ name: relative, content });
  }
  if (!changed.length) return { deployed: [], unchanged };

  const sourcePaths = Object.fromEntries(changed.map((file) => [file.name, file.name]));
  try {
    await ports.deploy(changed, sourcePaths);
  } catch (error) {
    if (error instanceof AppError && error.code === 'DEPLOYMENT_INVALID') throw refused(dir, error.details as Problem[]);
    throw error;
  }
  return { deployed: changed.map((file) => file.name), unchanged };
}

function refused(dir: string, problems: Problem[]): StartRefused {
  const lines = problems.map((p) => {
    const where = [p.file ? path.join(dir, p.file) : '', p.elementId ? `element ${p.elementId}` : ''].filter(Boolean).join(', ');
    return `  ${where}: ${p.message}${p.rule ? ` [${p.rule}]` : ''}`;
  });
  return new StartRefused(
    `Not starting: files under ${dir} cannot be deployed. Fix or remove them and start again:\n${lines.join('\n')}`,
  );
}
