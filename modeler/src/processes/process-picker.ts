import type { Api } from '../api/client';
import type { ResourceSummary } from '../api/types';
import { h, replaceChildren } from '../ui/dom';

export interface PickedVersion {
  id: string;
  version: number;
}

/** The deployed processes and the versions of the chosen one, as two selects. */
export class ProcessPicker {
  readonly processSelect = h('select', { id: 'process-select', 'aria-label': '已部署的流程' });
  readonly versionSelect = h('select', { id: 'version-select', 'aria-label': '版本' });
  processes: ResourceSummary[] = [];
  private onPick: (picked: PickedVersion) => void = () => {};

  constructor(private readonly api: Api) {
    this.processSelect.addEventListener('change', () => {
      const process = this.current();
      if (process) this.onPick({ id: process.id, version: process.version });
    });
    this.versionSelect.addEventListener('change', () => {
      const process = this.current();
      if (process) this.onPick({ id: process.id, version: Number(this.versionSelect.value) });
    });
  }

  whenPicked(listener: (picked: PickedVersion) => void): void {
    this.onPick = listener;
  }

  async refresh(): Promise<void> {
    this.processes = await this.api.processes();
    const selected = this.processSelect.value;
    replaceChildren(
      this.processSelect,
      h('option', { value: '' }, this.processes.length ? '— 打开已部署的流程 —' : '— 还没有已部署的流程 —'),
      ...this.processes.map((p) => h('option', { value: p.id }, p.name ? `${p.name}（${p.id}）` : p.id)),
    );
    this.processSelect.value = this.processes.some((p) => p.id === selected) ? selected : '';
    this.showVersions(Number(this.versionSelect.value) || undefined);
  }

  /** Shows `id` at `version` as chosen, without announcing it (the canvas already shows it). */
  showAs(id: string | undefined, version: number | undefined): void {
    this.processSelect.value = id && this.processes.some((p) => p.id === id) ? id : '';
    this.showVersions(version);
  }

  versionsOf(id: string): number[] {
    return this.processes.find((p) => p.id === id)?.versions ?? [];
  }

  private current(): ResourceSummary | undefined {
    return this.processes.find((p) => p.id === this.processSelect.value);
  }

  private showVersions(version: number | undefined): void {
    const process = this.current();
    const versions = process?.versions ?? [];
    replaceChildren(
      this.versionSelect,
      ...versions.map((v) => h('option', { value: String(v) }, v === process?.version ? `版本 ${v}（最新）` : `版本 ${v}`)),
    );
    this.versionSelect.disabled = !versions.length;
    if (version && versions.includes(version)) this.versionSelect.value = String(version);
  }
}
