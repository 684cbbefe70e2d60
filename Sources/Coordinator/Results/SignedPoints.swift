/// A difference in score points as tables and verdicts print it (signed, 2 decimals unless said):
/// one that rounds to zero prints +0.00, so the sign shown never hangs on a sum's last bit (a mean
/// of differences that cancel can come out as −1e-17, which "%+.2f" prints as −0.00).
enum SignedPoints {
    static func shown(_ points: Double, decimals: Int = 2) -> Double {
        var half = 0.5
        for _ in 0..<decimals { half /= 10 }
        return abs(points) < half ? 0 : points
    }
}
