-- PyramidKV Fleet coordinator schema, version 1 (design §4).
-- Applied by the coordinator at start-up; PRAGMA user_version records the version.

CREATE TABLE experiments (
    id          TEXT PRIMARY KEY,                 -- "exp-" + 16 hex digits of the spec's hash
    benchmark   TEXT NOT NULL CHECK (benchmark IN ('needle', 'longbench')),
    spec_json   TEXT NOT NULL,
    priority    INTEGER NOT NULL,
    cancelled   INTEGER NOT NULL DEFAULT 0,
    created_at  REAL NOT NULL
);

CREATE TABLE jobs (
    id               INTEGER PRIMARY KEY,
    key              TEXT NOT NULL UNIQUE,        -- sha256 of the job spec's canonical JSON
    spec_json        TEXT NOT NULL,
    model_sha256     TEXT NOT NULL,
    priority         INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'queued'
                     CHECK (state IN ('queued', 'leased', 'done', 'dead', 'cancelled')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    max_attempts     INTEGER NOT NULL CHECK (max_attempts >= 1),
    lease_worker     TEXT,
    lease_token      TEXT,
    lease_expires_at REAL,
    cancel_requested INTEGER NOT NULL DEFAULT 0,
    samples_total    INTEGER NOT NULL,
    samples_done     INTEGER NOT NULL DEFAULT 0,   -- as last reported by the holder
    last_error       TEXT,
    created_at       REAL NOT NULL,
    updated_at       REAL NOT NULL
);
CREATE INDEX jobs_claim_order ON jobs (state, priority DESC, id);
CREATE INDEX jobs_lease_expiry ON jobs (lease_expires_at) WHERE state = 'leased';

-- A job belongs to every experiment whose expansion produced its key.
CREATE TABLE experiment_jobs (
    experiment_id TEXT NOT NULL REFERENCES experiments (id),
    job_id        INTEGER NOT NULL REFERENCES jobs (id),
    PRIMARY KEY (experiment_id, job_id)
) WITHOUT ROWID;
CREATE INDEX experiment_jobs_by_job ON experiment_jobs (job_id);

CREATE TABLE samples (
    id          TEXT PRIMARY KEY,                 -- sha256 of the sample's canonical JSON
    sample_json TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE job_samples (
    job_id    INTEGER NOT NULL REFERENCES jobs (id),
    ordinal   INTEGER NOT NULL,
    sample_id TEXT NOT NULL REFERENCES samples (id),
    PRIMARY KEY (job_id, ordinal),
    UNIQUE (job_id, sample_id)
) WITHOUT ROWID;

CREATE TABLE workers (
    id            TEXT PRIMARY KEY,
    hardware_json TEXT NOT NULL,
    models_json   TEXT NOT NULL,
    last_seen     REAL NOT NULL,
    jobs_done     INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

-- Raw predictions, one per (job, sample): the unique key makes posts idempotent.
CREATE TABLE predictions (
    id               INTEGER PRIMARY KEY,
    job_id           INTEGER NOT NULL REFERENCES jobs (id),
    sample_id        TEXT NOT NULL REFERENCES samples (id),
    worker_id        TEXT NOT NULL,
    prediction       TEXT NOT NULL,
    prompt_tokens    INTEGER NOT NULL,
    generated_tokens INTEGER NOT NULL,
    prefill_seconds  REAL NOT NULL,
    decode_seconds   REAL NOT NULL,
    kv_bytes         INTEGER NOT NULL,
    hardware_json    TEXT NOT NULL,
    created_at       REAL NOT NULL,
    UNIQUE (job_id, sample_id)
);
CREATE INDEX predictions_by_time ON predictions (created_at);

-- Scores come from a separate step over stored predictions and can be recomputed.
CREATE TABLE scores (
    job_id     INTEGER NOT NULL REFERENCES jobs (id),
    sample_id  TEXT NOT NULL REFERENCES samples (id),
    metric     TEXT NOT NULL,
    score      REAL NOT NULL,
    scored_at  REAL NOT NULL,
    PRIMARY KEY (job_id, sample_id, metric)
) WITHOUT ROWID;

CREATE TABLE blobs (
    sha256     TEXT PRIMARY KEY,                  -- sha256 of the bytes
    bytes      BLOB NOT NULL,
    size       INTEGER NOT NULL,
    created_at REAL NOT NULL
) WITHOUT ROWID;
