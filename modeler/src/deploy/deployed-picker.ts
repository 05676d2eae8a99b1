import type { ResourceSummary } from '../api/types';
import { h, replaceChildren } from '../ui/dom';

export interface PickedVersion {
  id: string;
  version: number;
}

export interface PickerLabels {
  /** What is deployed, in the prompts: 流程, 审查表, 表单. */
  kind: string;
  /** The ids of the two selects (`process-select`, `version-select`). */
  selectId: string;
  versionSelectId: string;
}

/** The deployed resources of one kind and the versions of the chosen one, as two selects. */
export class DeployedPicker {
  readonly resourceSelect: HTMLSelectElement;
  readonly versionSelect: HTMLSelectElement;
  resources: ResourceSummary[] = [];
  private onPick: (picked: PickedVersion) => void = () => {};

  constructor(
    private readonly load: () => Promise<ResourceSummary[]>,
    private readonly labels: PickerLabels,
  ) {
    this.resourceSelect = h('select', { id: labels.selectId, class: 'resource-select', 'aria-label': `已部署的${labels.kind}` });
    this.versionSelect = h('select', { id: labels.versionSelectId, class: 'version-select', 'aria-label': '版本' });
    this.resourceSelect.addEventListener('change', () => {
      const resource = this.current();
      if (resource) this.onPick({ id: resource.id, version: resource.version });
    });
    this.versionSelect.addEventListener('change', () => {
      const resource = this.current();
      if (resource) this.onPick({ id: resource.id, version: Number(this.versionSelect.value) });
    });
  }

  whenPicked(listener: (picked: PickedVersion) => void): void {
    this.onPick = listener;
  }

  async refresh(): Promise<ResourceSummary[]> {
    this.resources = await this.load();
    const selected = this.resourceSelect.value;
    const { kind } = this.labels;
    replaceChildren(
      this.resourceSelect,
      h('option', { value: '' }, this.resources.length ? `— 打开已部署的${kind} —` : `— 还没有已部署的${kind} —`),
      ...this.resources.map((r) => h('option', { value: r.id }, r.name ? `${r.name}（${r.id}）` : r.id)),
    );
    this.resourceSelect.value = this.resources.some((r) => r.id === selected) ? selected : '';
    this.showVersions(Number(this.versionSelect.value) || undefined);
    return this.resources;
  }

  /** Shows `id` at `version` as chosen, without announcing it (the editor already shows it). */
  showAs(id: string | undefined, version: number | undefined): void {
    this.resourceSelect.value = id && this.resources.some((r) => r.id === id) ? id : '';
    this.showVersions(version);
  }

  latestOf(id: string): number | undefined {
    return this.resources.find((r) => r.id === id)?.version;
  }

  versionsOf(id: string): number[] {
    return this.resources.find((r) => r.id === id)?.versions ?? [];
  }

  private current(): ResourceSummary | undefined {
    return this.resources.find((r) => r.id === this.resourceSelect.value);
  }

  private showVersions(version: number | undefined): void {
    const resource = this.current();
    const versions = resource?.versions ?? [];
    replaceChildren(
      this.versionSelect,
      ...versions.map((v) => h('option', { value: String(v) }, v === resource?.version ? `版本 ${v}（最新）` : `版本 ${v}`)),
    );
    this.versionSelect.disabled = !versions.length;
    if (version && versions.includes(version)) this.versionSelect.value = String(version);
  }
}
