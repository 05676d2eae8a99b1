import crypto from 'node:crypto';
import path from 'node:path';
import { BpmnChecker } from './bpmn-check';
import { BpmnLinter, type LintRuleSet } from './bpmn-linter';
import { DmnChecker } from './dmn-check';
import { checkForm } from './form-check';
import type { CheckReport, DeployFile, FileCheck, FileReport, Problem, ResourceKind } from './types';

export const MAX_FILES = 20;
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

const KIND_BY_EXTENSION: Record<string, ResourceKind> = { '.bpmn': 'bpmn', '.dmn': 'dmn', '.form': 'form' };

export const sha256 = (content: Buffer): string => crypto.createHash('sha256').update(content).digest('hex');

export interface Inspection {
  report: CheckReport;
  /** File name → its text, for the files that passed. */
  texts: Map<string, string>;
}

/** Reads, parses and lints a set of files as one deployment; writes nothing. */
export class Checker {
  private readonly linter: BpmnLinter;
  private readonly bpmn: BpmnChecker;
  private readonly dmn = new DmnChecker();

  constructor(extraRules?: LintRuleSet) {
    this.linter = new BpmnLinter(extraRules);
    this.bpmn = new BpmnChecker(this.linter);
  }

  warm(): Promise<void> {
    return this.linter.warm();
  }

  /** `limitFiles: false` lifts the cap on the number of files, for the repository deployed at start. */
  async inspect(files: DeployFile[], options: { limitFiles?: boolean } = {}): Promise<Inspection> {
    const requestErrors: Problem[] = [];
    const texts = new Map<string, string>();
    const limit = options.limitFiles === false ? Infinity : MAX_FILES;
    if (!files.length) requestErrors.push({ file: '', message: 'No files: send one or more .bpmn, .dmn or .form files in the field "resources"' });
    if (files.length > limit) requestErrors.push({ file: '', message: `${files.length} files: at most ${MAX_FILES} in one deployment` });

    const reports: FileReport[] = [];
    const names = new Set<string>();
    for (const file of files.slice(0, limit)) {
      if (names.has(file.name)) requestErrors.push({ file: file.name, message: 'The same file name is given twice' });
      names.add(file.name);
      const report = await this.inspectFile(file, texts);
      reports.push(report);
    }
    requestErrors.push(...duplicateIds(reports));

    const errors = [...reports.flatMap((r) => r.errors), ...requestErrors];
    const warnings = reports.flatMap((r) => r.warnings);
    return { report: { ok: errors.length === 0, files: reports, errors, warnings }, texts };
  }

  private async inspectFile(file: DeployFile, texts: Map<string, string>): Promise<FileReport> {
    const report: FileReport = { file: file.name, resources: [], errors: [], warnings: [] };
    const refuse = (message: string) => {
      report.errors.push({ file: file.name, message });
      return report;
    };
    const extension = path.extname(file.name).toLowerCase();
    const kind = KIND_BY_EXTENSION[extension];
    if (!kind) return refuse(`"${file.name}" is not a .bpmn, .dmn or .form file`);
    report.kind = kind;
    if (file.content.length > MAX_FILE_BYTES) return refuse(`The file is ${file.content.length} bytes; at most ${MAX_FILE_BYTES} are accepted`);
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(file.content);
    } catch {
      return refuse('The file is not UTF-8 text');
    }
    if (text.includes('\u0000')) return refuse('The file contains a NUL character: it is not a text file');
    report.checksum = sha256(file.content);

    let result: FileCheck;
    if (kind === 'bpmn') result = await this.bpmn.check(file.name, text);
    else if (kind === 'dmn') result = await this.dmn.check(file.name, text);
    else result = checkForm(file.name, text);
    report.resources = result.resources;
    report.errors.push(...result.errors);
    report.warnings.push(...result.warnings);
    if (!report.errors.length) texts.set(file.name, text);
    return report;
  }
}

/** One deployment may define a process, decision or form id once, as Zeebe requires. */
function duplicateIds(reports: FileReport[]): Problem[] {
  const seen = new Map<string, string>();
  const problems: Problem[] = [];
  for (const report of reports) {
    for (const resource of report.resources) {
      const key = `${resource.kind}:${resource.id}`;
      const first = seen.get(key);
      if (first !== undefined) {
        problems.push({ file: report.file, elementId: resource.id, message: `The ${resource.kind} id "${resource.id}" is also defined in ${first}` });
      } else {
        seen.set(key, report.file);
      }
    }
  }
  return problems;
}
