import type { Material, Matter, MatterAction } from './schema';
import type { ExemptionSources } from './sources';

/**
 * Why the applicant need not hand in a material, in plain Chinese, or undefined when they must. Something made by the
 * platform or fetched at the second party's confirmation is exempt for everyone; a licence or registry record of the
 * caller only when the lookup finds it. A lookup that fails exempts nothing: the applicant can still hand it in.
 */
export async function exemptionOf(
  material: Material,
  matter: Matter,
  action: MatterAction,
  holderCode: string | null,
  sources: ExemptionSources,
): Promise<string | undefined> {
  const source = material.source;
  const party = action.secondParty?.role ?? '相关人';
  const licenseName = (code: string) => matter.licenseTypes.find((t) => t.code === code)?.name ?? '电子证照';
  switch (source.channel) {
    case 'applicant':
      return undefined;
    case 'generated':
      return source.from === 'form' ? '在线填写后由系统自动生成，无需另行提交' : `由${party}在手机上确认后系统自动生成，无需提交`;
    case 'e-licence':
      if (source.holder === 'second-party') return `在${party}确认时从电子证照库调取《${licenseName(source.licenseType)}》，无需提交`;
      if (holderCode && (await lookup(() => sources.holdsLicense(holderCode, source.licenseType)))) {
        return `已从电子证照库调取您的《${licenseName(source.licenseType)}》，无需提交`;
      }
      return undefined;
    case 'shared-data':
      if (source.holder === 'second-party') return `在${party}确认时通过${source.dataset}核验，无需提交`;
      if (holderCode && (await lookup(() => sources.inRegistry(source.registry, holderCode))))
        return `已通过${source.dataset}核验，无需提交`;
      return undefined;
  }
}

async function lookup(ask: () => Promise<boolean>): Promise<boolean> {
  try {
    return await ask();
  } catch {
    return false;
  }
}
