import os from 'node:os';
import path from 'node:path';
import type { EncoderKind, ProjectStatus } from '../../shared/domain';
import { openDatabase, PROJECT_EXTENSION, type Db, type OpenOptions } from './database';
import { checkIntegrity, describeDamage, type IntegrityReport } from './integrity';
import { countSamples } from './samples';
import { embeddingCount } from './row-counts';
import { currentModelId, defaultSettings, readSettings } from './settings';
import { modelInputChangedReason } from './model-input-window';

/** An open project file: one SQLite connection plus who is working on it. */
export class Project {
  readonly path: string;
  readonly db: Db;
  /** Who is labeling: stored with every label (the OS user unless the app sets another name). */
  author: string;
  /** Set by checkOnOpen: what is damaged and what to do, or null. */
  damage: string | null = null;

  private constructor(file: string, db: Db) {
    this.path = file;
    this.db = db;
    this.author = process.env.FARPOINT_AUTHOR || safeUserName();
  }

  static open(file: string, options: OpenOptions = {}): Project {
    const resolved = path.resolve(file);
    return new Project(resolved, openDatabase(resolved, options));
  }

  static create(file: string): Project {
    const resolved = path.resolve(file.endsWith(PROJECT_EXTENSION) ? file : file + PROJECT_EXTENSION);
    return Project.open(resolved, { create: true });
  }

  /**
   * The quick check of the user's own tables (see CRITICAL_TABLES) that the
   * app and `farpoint status` run when they open a project; a damaged file
   * still opens, so what is readable can be seen and recovered.
   */
  checkOnOpen(): IntegrityReport {
    const report = checkIntegrity(this.db, 'critical tables');
    this.damage = describeDamage(this.path, report);
    return report;
  }

  get name(): string {
    return path.basename(this.path, PROJECT_EXTENSION);
  }

  status(): ProjectStatus {
    try {
      return this.countedStatus();
    } catch (err) {
      // A damaged file must still show what it is and why, not fail to open.
      const code = String((err as { code?: unknown }).code ?? '');
      if (!/^SQLITE_(CORRUPT|NOTADB)/.test(code)) throw err;
      this.damage ??= `the project file ${this.path} is damaged: ${(err as Error).message}. Run farpoint recover on it to copy everything still readable (labels first) into a new project.`;
      const zero = { samples: 0, active: 0, excluded: 0, labeled: 0, embedded: 0, models: 0 };
      return { path: this.path, name: this.name, ...zero, currentModelId: null, currentEncoder: null, backend: null, settings: { ...defaultSettings }, damaged: this.damage, modelInputChanged: null };
    }
  }

  private countedStatus(): ProjectStatus {
    const counts = countSamples(this.db);
    const modelId = currentModelId(this.db);
    const embedded =
      modelId === null
        ? 0
        : embeddingCount(this.db, modelId);
    const models = (this.db.prepare("SELECT COUNT(*) AS n FROM models WHERE kind = 'autoencoder' AND state = 'ready'").get() as { n: number }).n;
    const backendRow =
      modelId === null ? undefined : (this.db.prepare('SELECT backend, encoder FROM models WHERE id = ?').get(modelId) as { backend: string; encoder: EncoderKind } | undefined);
    return {
      path: this.path,
      name: this.name,
      ...counts,
      embedded,
      models,
      currentModelId: modelId,
      currentEncoder: backendRow?.encoder ?? null,
      backend: backendRow?.backend ?? null,
      settings: readSettings(this.db),
      damaged: this.damage,
      modelInputChanged: modelInputChangedReason(this.db),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The operating system's name for the user running Farpoint ('unknown' where it cannot say). */
export function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
