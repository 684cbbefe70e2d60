/// KVEval: LongBench and needle-in-a-haystack, built and scored as the reference scripts do.
///
/// - `Metrics/`: LongBench v1 metrics.py, bit-exact (golden tests against the Python originals):
///   `LongBenchMetric`, `LongBenchDatasets.sampleScore`, `PyRound` (Python `round`, numpy mean),
///   `LongBenchAverages`, `LongBenchEBuckets`.
/// - `Chinese/`: jieba 0.42.1 `cut` (data from tools/fetch_jieba.py) for the zh metrics.
/// - `LongBench/`: record and prediction readers (located typed errors), the bundled config,
///   `LongBenchScorer` and its table/json/csv renderings.
/// - `Prompt/`: `PromptTokenizer`, `EngineTokenizer`, `LongBenchPromptBuilder` with the
///   `longbench` and `kvcache-factory` presets.
/// - `Needle/`: grid, texts and word-recall score, haystack, KVCache-Factory prompt builder,
///   heatmap (SVG and ANSI).
/// - `Synthetic/`: the synthetic LongBench-format demo set.
///
/// (No declaration is named `KVEval`: it would shadow the module name.)
