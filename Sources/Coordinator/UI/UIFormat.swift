import Foundation

/// Numbers and times as the pages print them.
enum UIFormat {
    /// "1 h 02 min", "3 min 05 s", "12 s"; "—" when unknown.
    static func duration(_ seconds: Double?) -> String {
        guard let seconds, seconds.isFinite, seconds >= 0 else { return "—" }
        let s = Int(seconds.rounded())
        if s >= 3600 { return "\(s / 3600) h " + String(format: "%02d min", (s % 3600) / 60) }
        if s >= 60 { return "\(s / 60) min " + String(format: "%02d s", s % 60) }
        return "\(s) s"
    }

    /// "2026-12-03 07:36:09 UTC".
    static func timestamp(_ seconds: Double) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss 'UTC'"
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }

    static func fixed(_ value: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", value) }

    /// The first 12 hex digits of a sha256, as the pages show model and sample ids.
    static func short(_ hex: String) -> String { String(hex.prefix(12)) }
}
