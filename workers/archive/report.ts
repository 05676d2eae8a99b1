/** The four properties of DA/T 70-2018 (四性): 真实性, 完整性, 可用性, 安全性. */
export const ARCHIVE_PROPERTIES = ['authenticity', 'integrity', 'usability', 'security'] as const;
export type ArchiveProperty = (typeof ARCHIVE_PROPERTIES)[number];

export interface ArchiveFailure {
  property: ArchiveProperty;
  /** The path inside the package, when the failure is about one file. */
  file?: string;
  /** A plain sentence, English with a short Chinese gloss. */
  reason: string;
}

export interface PropertyCheck {
  passed: boolean;
  failures: ArchiveFailure[];
}

/** The four-property check (四性检测) of one package. */
export interface ArchiveVerification {
  /** From the manifest (or metadata.json); null when neither can be read. */
  archiveId: string | null;
  passed: boolean;
  properties: Record<ArchiveProperty, PropertyCheck>;
}

/** Collects failures, once each, in the order found. */
export class Findings {
  private readonly failures: ArchiveFailure[] = [];
  private readonly seen = new Set<string>();

  fail(property: ArchiveProperty, file: string | undefined, reason: string): void {
    const key = `${property}\n${file ?? ''}\n${reason}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.failures.push(file === undefined ? { property, reason } : { property, file, reason });
  }

  result(archiveId: string | null): ArchiveVerification {
    const properties = Object.fromEntries(
      ARCHIVE_PROPERTIES.map((property) => {
        const failures = this.failures.filter((f) => f.property === property);
        return [property, { passed: failures.length === 0, failures }];
      }),
    ) as Record<ArchiveProperty, PropertyCheck>;
    return { archiveId, passed: this.failures.length === 0, properties };
  }
}
