/// The task families a job can belong to, decided in one place from its dataset name: the
/// needle grid ("needle"), RULER's synthetic tasks (travelling in LongBench's record format as
/// datasets "ruler_<task>") and LongBench proper. A new family is a case here and its folder in
/// KVEval; the compiler then names every switch that must learn it.
public enum TaskFamily: String, Sendable, CaseIterable {
    case needle, ruler, longbench

    /// The dataset name of every needle job.
    public static let needleDataset = "needle"
    /// RULER datasets are "ruler_<task>".
    public static let rulerDatasetPrefix = "ruler_"

    public static func of(dataset: String) -> TaskFamily {
        if dataset == needleDataset { return .needle }
        return dataset.hasPrefix(rulerDatasetPrefix) ? .ruler : .longbench
    }

    /// "ruler_vt" → "vt"; nil outside the RULER family (the task name is not checked here).
    public static func rulerTask(ofDataset dataset: String) -> String? {
        of(dataset: dataset) == .ruler ? String(dataset.dropFirst(rulerDatasetPrefix.count)) : nil
    }

    /// The dataset name of a RULER task.
    public static func rulerDataset(task: String) -> String { rulerDatasetPrefix + task }
}
