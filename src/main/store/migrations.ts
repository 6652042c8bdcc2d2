/**
 * Schema migrations, applied in order and recorded in `PRAGMA user_version`.
 * Never edit a released migration: add a new one. The test suite builds a
 * file at every earlier version and migrates it forward.
 */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: Migration[] = [
  {
    version: 1,
    description: 'samples, thumbnails, imports, models, embeddings, annotations, jobs',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE samples (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL UNIQUE,
        content_hash TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        bit_depth INTEGER NOT NULL,
        format TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'excluded')),
        imported_at TEXT NOT NULL
      ) STRICT;
      CREATE INDEX samples_by_hash ON samples(content_hash);
      CREATE INDEX samples_by_status ON samples(status);

      CREATE TABLE thumbnails (
        sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        mime TEXT NOT NULL,
        data BLOB NOT NULL
      ) STRICT;

      CREATE TABLE import_runs (
        id INTEGER PRIMARY KEY,
        folder TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        summary TEXT
      ) STRICT;

      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('autoencoder', 'regressor')),
        state TEXT NOT NULL CHECK (state IN ('training', 'ready', 'failed', 'cancelled')),
        settings TEXT NOT NULL,
        backend TEXT NOT NULL,
        created_at TEXT NOT NULL,
        finished_at TEXT,
        epochs INTEGER NOT NULL DEFAULT 0,
        train_loss REAL,
        val_loss REAL,
        history TEXT NOT NULL DEFAULT '[]',
        topology TEXT,
        weights BLOB
      ) STRICT;

      CREATE TABLE embeddings (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        vector BLOB NOT NULL,
        PRIMARY KEY (model_id, sample_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE annotations (
        id INTEGER PRIMARY KEY,
        sample_id INTEGER NOT NULL REFERENCES samples(id),
        angle REAL,
        action TEXT NOT NULL CHECK (action IN ('set', 'undo', 'clear')),
        source TEXT NOT NULL CHECK (source IN ('hand', 'propagated', 'imported')),
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        queue_rank INTEGER,
        strategy TEXT,
        model_id INTEGER,
        propagated_from INTEGER,
        undoes INTEGER REFERENCES annotations(id)
      ) STRICT;
      CREATE INDEX annotations_by_sample ON annotations(sample_id, id);

      -- Append-only: history is evidence, so the file refuses edits and deletes.
      CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
      CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;

      CREATE TABLE status_changes (
        id INTEGER PRIMARY KEY,
        sample_id INTEGER NOT NULL REFERENCES samples(id),
        status TEXT NOT NULL CHECK (status IN ('active', 'excluded')),
        reason TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        state TEXT NOT NULL,
        params TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        error TEXT,
        result TEXT
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'current-label view, checkpoints, predictions and evaluations',
    sql: `
      CREATE VIEW current_labels AS
        SELECT a.sample_id, a.angle, a.source, a.author, a.created_at, a.queue_rank, a.strategy, a.id AS annotation_id
        FROM annotations a
        JOIN (SELECT sample_id, MAX(id) AS last_id FROM annotations GROUP BY sample_id) l ON a.id = l.last_id
        WHERE a.angle IS NOT NULL;

      CREATE TABLE checkpoints (
        model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        state TEXT NOT NULL,
        weights BLOB NOT NULL,
        saved_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE predictions (
        model_id INTEGER NOT NULL REFERENCES models(id) ON DELETE CASCADE,
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        angle REAL NOT NULL,
        PRIMARY KEY (model_id, sample_id)
      ) STRICT, WITHOUT ROWID;

      CREATE TABLE evaluations (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL,
        settings TEXT NOT NULL,
        results TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 3,
    description: 'decoded training pixels, so each epoch of autoencoder training does not decode every file again',
    sql: `
      -- One small image per sample and model input (size × size × channels, uint8, row-major HWC).
      -- content_hash is the sample's at decode time: a re-imported, changed file is decoded afresh.
      CREATE TABLE pixel_cache (
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        size INTEGER NOT NULL,
        channels INTEGER NOT NULL,
        content_hash TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (sample_id, size, channels)
      ) STRICT, WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: 'full furthest-point queue orders computed by the queue job',
    sql: `
      -- One stored order per strategy: the sample ids in queue order and each entry's novelty,
      -- valid while the project's labels, exclusions and embeddings match 'stamp'.
      CREATE TABLE queue_orders (
        strategy TEXT PRIMARY KEY CHECK (strategy IN ('fps', 'random')),
        model_id INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seconds REAL NOT NULL,
        -- int32 sample ids and float64 novelties (Infinity: nothing before it), little-endian.
        sample_ids BLOB NOT NULL,
        novelty BLOB NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    description: 'neighbour graphs for near-duplicate clusters (one per model, rebuilt when its embeddings change)',
    sql: `
      CREATE TABLE neighbour_graphs (
        model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
        k INTEGER NOT NULL,
        sample_count INTEGER NOT NULL,
        -- Which embeddings it was built from (count, sum and max of sample ids), to tell when it is stale.
        fingerprint TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('exact', 'hnsw')),
        recall REAL NOT NULL,
        recall_queries INTEGER NOT NULL,
        seconds REAL NOT NULL,
        built_at TEXT NOT NULL,
        -- int32 sample ids (row order), int32 neighbour rows (count × k, -1 = none), float32 distances; little-endian.
        sample_ids BLOB NOT NULL,
        neighbours BLOB NOT NULL,
        distances BLOB NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 6,
    description: 'sample attributes from imported label CSVs (groups for the balanced evaluation error)',
    sql: `
      CREATE TABLE sample_attributes (
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        PRIMARY KEY (sample_id, name)
      ) STRICT, WITHOUT ROWID;
      CREATE INDEX sample_attributes_by_name ON sample_attributes(name, value);
    `,
  },
  {
    version: 7,
    description: 'latent maps: the 2-D PCA projection of each model, computed by a job off the main thread',
    sql: `
      CREATE TABLE latent_maps (
        model_id INTEGER PRIMARY KEY REFERENCES models(id) ON DELETE CASCADE,
        -- Which embeddings it was computed from (count, sum and max of sample ids), to tell when it is stale.
        fingerprint TEXT NOT NULL,
        sample_count INTEGER NOT NULL,
        dimension INTEGER NOT NULL,
        explained_1 REAL NOT NULL,
        explained_2 REAL NOT NULL,
        computed_at TEXT NOT NULL,
        -- int32 sample ids (ascending), float32 x and y per row; little-endian.
        sample_ids BLOB NOT NULL,
        x BLOB NOT NULL,
        y BLOB NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 8,
    description: "status changes by sample, so review mode shows each sample's latest include or exclude and who did it",
    sql: `
      CREATE INDEX status_changes_by_sample ON status_changes(sample_id, id);
    `,
  },
  {
    version: 9,
    description: 'DICOM frames: the file and frame of each DICOM sample, its UIDs and window tags',
    sql: `
      -- One row per sample imported from DICOM. A multi-frame file gives one sample per frame.
      -- No patient-identifying attribute is stored unless the project keeps them ('identifying', JSON, else NULL).
      CREATE TABLE dicom_frames (
        sample_id INTEGER PRIMARY KEY REFERENCES samples(id) ON DELETE CASCADE,
        file_path TEXT NOT NULL,
        frame INTEGER NOT NULL CHECK (frame >= 1),
        frame_count INTEGER NOT NULL,
        study_uid TEXT NOT NULL,
        series_uid TEXT NOT NULL,
        sop_uid TEXT NOT NULL,
        modality TEXT NOT NULL,
        photometric TEXT NOT NULL,
        transfer_syntax TEXT NOT NULL,
        -- The file's Window Center/Width pairs in order, JSON [{center, width, explanation?}].
        windows TEXT NOT NULL DEFAULT '[]',
        identifying TEXT
      ) STRICT;
      CREATE INDEX dicom_frames_by_file ON dicom_frames(file_path);
    `,
  },
  {
    version: 10,
    description: 'labels merged from other sites\' label packs, kept beside the local history',
    sql: `
      -- Another project's annotations, matched to a local sample by content hash. Never part of the local
      -- history (so they never overwrite a label); (origin, origin_id) makes merging the same pack twice a no-op.
      CREATE TABLE merged_annotations (
        id INTEGER PRIMARY KEY,
        sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
        origin TEXT NOT NULL,
        origin_name TEXT NOT NULL,
        origin_id INTEGER NOT NULL,
        angle REAL,
        action TEXT NOT NULL,
        source TEXT NOT NULL,
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        merged_at TEXT NOT NULL,
        UNIQUE (origin, origin_id)
      ) STRICT;
      CREATE INDEX merged_annotations_by_sample ON merged_annotations(sample_id, origin, origin_id);
    `,
  },
  {
    version: 11,
    description: 'stored queue orders for the coverage strategies (probcover, auto), computed by the queue job off the main thread',
    sql: `
      -- A file that skipped version 4's table gets it first, so the copy below always has a source.
      CREATE TABLE IF NOT EXISTS queue_orders (
        strategy TEXT PRIMARY KEY CHECK (strategy IN ('fps', 'random')),
        model_id INTEGER NOT NULL, stamp TEXT NOT NULL, created_at TEXT NOT NULL, seconds REAL NOT NULL,
        sample_ids BLOB NOT NULL, novelty BLOB NOT NULL
      ) STRICT;
      CREATE TABLE queue_orders_next (
        strategy TEXT PRIMARY KEY CHECK (strategy IN ('fps', 'random', 'probcover', 'auto')),
        model_id INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seconds REAL NOT NULL,
        -- int32 sample ids and float64 novelties (Infinity: nothing before it), little-endian.
        sample_ids BLOB NOT NULL,
        novelty BLOB NOT NULL
      ) STRICT;
      INSERT INTO queue_orders_next SELECT strategy, model_id, stamp, created_at, seconds, sample_ids, novelty FROM queue_orders;
      DROP TABLE queue_orders;
      ALTER TABLE queue_orders_next RENAME TO queue_orders;
    `,
  },
  {
    version: 12,
    description: "label source 'suggestion': a model's prediction the expert accepted, kept apart from hand labels",
    sql: `
      -- SQLite cannot change a CHECK in place: the table is rebuilt with every row and id kept.
      DROP VIEW current_labels;
      DROP TRIGGER annotations_no_update;
      DROP TRIGGER annotations_no_delete;
      CREATE TABLE annotations_v12 (
        id INTEGER PRIMARY KEY,
        sample_id INTEGER NOT NULL REFERENCES samples(id),
        angle REAL,
        action TEXT NOT NULL CHECK (action IN ('set', 'undo', 'clear')),
        source TEXT NOT NULL CHECK (source IN ('hand', 'propagated', 'imported', 'suggestion')),
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        queue_rank INTEGER,
        strategy TEXT,
        model_id INTEGER,
        propagated_from INTEGER,
        undoes INTEGER REFERENCES annotations_v12(id)
      ) STRICT;
      INSERT INTO annotations_v12 (id, sample_id, angle, action, source, author, created_at, queue_rank, strategy, model_id, propagated_from, undoes)
        SELECT id, sample_id, angle, action, source, author, created_at, queue_rank, strategy, model_id, propagated_from, undoes FROM annotations;
      DROP TABLE annotations;
      ALTER TABLE annotations_v12 RENAME TO annotations;
      CREATE INDEX annotations_by_sample ON annotations(sample_id, id);
      CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
      CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
      CREATE VIEW current_labels AS
        SELECT a.sample_id, a.angle, a.source, a.author, a.created_at, a.queue_rank, a.strategy, a.id AS annotation_id
        FROM annotations a
        JOIN (SELECT sample_id, MAX(id) AS last_id FROM annotations GROUP BY sample_id) l ON a.id = l.last_id
        WHERE a.angle IS NOT NULL;
    `,
  },
  {
    version: 13,
    description: 'stored queue orders for typiclust and fps-dense (typicality from a neighbour graph), computed by the queue job off the main thread',
    sql: `
      CREATE TABLE queue_orders_next (
        strategy TEXT PRIMARY KEY CHECK (strategy IN ('fps', 'random', 'probcover', 'auto', 'typiclust', 'fps-dense')),
        model_id INTEGER NOT NULL,
        stamp TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seconds REAL NOT NULL,
        -- int32 sample ids and float64 novelties (Infinity: nothing before it), little-endian.
        sample_ids BLOB NOT NULL,
        novelty BLOB NOT NULL
      ) STRICT;
      INSERT INTO queue_orders_next SELECT strategy, model_id, stamp, created_at, seconds, sample_ids, novelty FROM queue_orders;
      DROP TABLE queue_orders;
      ALTER TABLE queue_orders_next RENAME TO queue_orders;
    `,
  },
  {
    version: 14,
    description: 'the window/level each DICOM thumbnail was rendered with, so a change of the project window re-renders exactly the stale ones',
    sql: `
      -- windowSettingKey (src/shared/window-level.ts) of the window the stored thumbnail shows; NULL for thumbnails
      -- made before this column, whose window is not known, so they are rendered again too.
      ALTER TABLE dicom_frames ADD COLUMN thumbnail_window TEXT;
    `,
  },
  {
    version: 15,
    description: "the encoder that made each model: 'autoencoder' (every model before this version) or 'contrastive'",
    sql: `
      -- A column apart from kind (which says autoencoder or regressor): the encoder kind of an embedding model.
      ALTER TABLE models ADD COLUMN encoder TEXT NOT NULL DEFAULT 'autoencoder' CHECK (encoder IN ('autoencoder', 'contrastive'));
    `,
  },
  {
    version: 16,
    description: "label source 'adjudicated': an expert's final angle for a sample its annotators disagree on, kept apart from hand labels",
    sql: `
      -- As in version 12: SQLite cannot change a CHECK in place, so the table is rebuilt with every row and id kept.
      DROP VIEW current_labels;
      DROP TRIGGER annotations_no_update;
      DROP TRIGGER annotations_no_delete;
      CREATE TABLE annotations_v16 (
        id INTEGER PRIMARY KEY,
        sample_id INTEGER NOT NULL REFERENCES samples(id),
        angle REAL,
        action TEXT NOT NULL CHECK (action IN ('set', 'undo', 'clear')),
        source TEXT NOT NULL CHECK (source IN ('hand', 'propagated', 'imported', 'suggestion', 'adjudicated')),
        author TEXT NOT NULL,
        created_at TEXT NOT NULL,
        queue_rank INTEGER,
        strategy TEXT,
        model_id INTEGER,
        propagated_from INTEGER,
        undoes INTEGER REFERENCES annotations_v16(id)
      ) STRICT;
      INSERT INTO annotations_v16 (id, sample_id, angle, action, source, author, created_at, queue_rank, strategy, model_id, propagated_from, undoes)
        SELECT id, sample_id, angle, action, source, author, created_at, queue_rank, strategy, model_id, propagated_from, undoes FROM annotations;
      DROP TABLE annotations;
      ALTER TABLE annotations_v16 RENAME TO annotations;
      CREATE INDEX annotations_by_sample ON annotations(sample_id, id);
      CREATE TRIGGER annotations_no_update BEFORE UPDATE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
      CREATE TRIGGER annotations_no_delete BEFORE DELETE ON annotations
        BEGIN SELECT RAISE(ABORT, 'annotations are append-only'); END;
      CREATE VIEW current_labels AS
        SELECT a.sample_id, a.angle, a.source, a.author, a.created_at, a.queue_rank, a.strategy, a.id AS annotation_id
        FROM annotations a
        JOIN (SELECT sample_id, MAX(id) AS last_id FROM annotations GROUP BY sample_id) l ON a.id = l.last_id
        WHERE a.angle IS NOT NULL;
    `,
  },
  {
    version: 17,
    description: 'counts of embeddings per model and of samples per status, kept by triggers, so a status or a queue stamp reads them without scanning every row',
    sql: `
      -- COUNT(*) over embeddings reads every vector (the table has no narrower index) and over samples every row:
      -- both grow with the pool, and the app asks for them on opening a project and after every label.
      CREATE TABLE embedding_counts (model_id INTEGER PRIMARY KEY, n INTEGER NOT NULL) STRICT;
      INSERT INTO embedding_counts (model_id, n) SELECT model_id, COUNT(*) FROM embeddings GROUP BY model_id;
      -- An upsert of an existing vector is an UPDATE (no insert trigger); deletes by cascade fire the delete trigger.
      CREATE TRIGGER embedding_counts_insert AFTER INSERT ON embeddings
        BEGIN INSERT INTO embedding_counts (model_id, n) VALUES (NEW.model_id, 1) ON CONFLICT(model_id) DO UPDATE SET n = n + 1; END;
      CREATE TRIGGER embedding_counts_delete AFTER DELETE ON embeddings
        BEGIN UPDATE embedding_counts SET n = n - 1 WHERE model_id = OLD.model_id; END;
      CREATE TABLE sample_counts (status TEXT PRIMARY KEY, n INTEGER NOT NULL) STRICT;
      INSERT INTO sample_counts (status, n) VALUES ('active', 0), ('excluded', 0);
      UPDATE sample_counts SET n = (SELECT COUNT(*) FROM samples WHERE samples.status = sample_counts.status);
      CREATE TRIGGER sample_counts_insert AFTER INSERT ON samples
        BEGIN UPDATE sample_counts SET n = n + 1 WHERE status = NEW.status; END;
      CREATE TRIGGER sample_counts_delete AFTER DELETE ON samples
        BEGIN UPDATE sample_counts SET n = n - 1 WHERE status = OLD.status; END;
      CREATE TRIGGER sample_counts_status AFTER UPDATE OF status ON samples WHEN NEW.status != OLD.status
        BEGIN
          UPDATE sample_counts SET n = n - 1 WHERE status = OLD.status;
          UPDATE sample_counts SET n = n + 1 WHERE status = NEW.status;
        END;
    `,
  },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;
