/** Limits that keep the scanner safe and bounded on hostile input. All sizes in bytes. */
export interface ScanLimits {
  /** A single file larger than this is not analysed (fail closed: suspicious). */
  maxFileBytes: number;
  /** Known inert assets (fonts, images, PDF) may be this large before they count as oversize. */
  maxAssetBytes: number;
  /** Total bytes read for one skill, across all its files and the archives it ships. */
  maxSkillBytes: number;
  /** Files in one skill. */
  maxFiles: number;
  /** An archive file itself (compressed) larger than this is not opened. */
  maxArchiveBytes: number;
  /** Declared uncompressed/compressed ratio above which a zip entry is treated as a bomb. */
  maxRatio: number;
  /** Archives inside a skill are opened this many levels deep; deeper ones fail closed. */
  maxArchiveDepth: number;
  /** Directory depth searched for skill folders under a PATH. */
  maxDirDepth: number;
}

export const DEFAULT_LIMITS: ScanLimits = {
  maxFileBytes: 2 * 1024 * 1024,
  maxAssetBytes: 16 * 1024 * 1024,
  maxSkillBytes: 64 * 1024 * 1024,
  maxFiles: 2000,
  maxArchiveBytes: 32 * 1024 * 1024,
  maxRatio: 100,
  maxArchiveDepth: 1,
  maxDirDepth: 8,
};
