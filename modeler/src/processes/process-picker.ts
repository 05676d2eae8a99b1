import type { Api } from '../api/client';
import type { ResourceSummary } from '../api/types';
import { DeployedPicker } from '../deploy/deployed-picker';

export type { PickedVersion } from '../deploy/deployed-picker';

/** The deployed processes and the versions of the chosen one, as two selects. */
export class ProcessPicker extends DeployedPicker {
  constructor(api: Api) {
    super(() => api.processes(), { kind: '流程', selectId: 'process-select', versionSelectId: 'version-select' });
  }

  get processSelect(): HTMLSelectElement {
    return this.resourceSelect;
  }

  get processes(): ResourceSummary[] {
    return this.resources;
  }
}
