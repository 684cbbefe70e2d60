/// One result row, read by column name.
public struct SQLiteRow: Sendable {
    let columns: [String: Int]
    let values: [SQLiteValue]

    public subscript(_ column: String) -> SQLiteValue {
        guard let index = columns[column] else { return .null }
        return values[index]
    }
}
