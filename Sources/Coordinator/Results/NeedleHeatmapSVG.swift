import KVEval

extension NeedleHeatmap {
    /// The reference picture (KVEval's renderer: colours #F0496E → #EBB839 → #0CD79F, depth on
    /// y, length on x) of this grid, titled with the model and this heatmap's title.
    public func svg(model: String) -> String {
        let cells = cells.map { NeedleCell(length: $0.length, depth: Double($0.depth), score: $0.score) }
        return KVEval.NeedleHeatmap(cells: cells, model: "\(model), \(title)").svg()
    }
}
