-- PyramidKV Fleet coordinator schema, version 2: workers post their scores with each
-- prediction, several metrics per sample (e.g. needle word recall, ROUGE-1 recall and F).
-- One metric per (job, sample) is primary: the one tables and heatmaps show.
ALTER TABLE scores ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 1;
