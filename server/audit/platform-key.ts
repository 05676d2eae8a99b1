export class PlatformKey {
  static load(_dir: string): PlatformKey {
    return new PlatformKey();
  }
}
