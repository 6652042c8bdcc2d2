import os from 'node:os';
import path from 'node:path';
import type { ProjectStatus } from '../../shared/domain';
import { openDatabase, PROJECT_EXTENSION, type Db, type OpenOptions } from './database';
import { countSamples } from './samples';
import { currentModelId, readSettings } from './settings';

/** An open project file: one SQLite connection plus who is working on it. */
export class Project {
  readonly path: string;
  readonly db: Db;
  readonly author: string;

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

  get name(): string {
    return path.basename(this.path, PROJECT_EXTENSION);
  }

  status(): ProjectStatus {
    const counts = countSamples(this.db);
    const modelId = currentModelId(this.db);
    const embedded =
      modelId === null
        ? 0
        : (this.db.prepare('SELECT COUNT(*) AS n FROM embeddings WHERE model_id = ?').get(modelId) as { n: number }).n;
    const models = (this.db.prepare("SELECT COUNT(*) AS n FROM models WHERE kind = 'autoencoder' AND state = 'ready'").get() as { n: number }).n;
    const backendRow =
      modelId === null ? undefined : (this.db.prepare('SELECT backend FROM models WHERE id = ?').get(modelId) as { backend: string } | undefined);
    return {
      path: this.path,
      name: this.name,
      ...counts,
      embedded,
      models,
      currentModelId: modelId,
      backend: backendRow?.backend ?? null,
      settings: readSettings(this.db),
    };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function safeUserName(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
