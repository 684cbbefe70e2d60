import Foundation

/// Rotary-embedding angles, computed as transformers does (fp32 inverse frequencies,
/// fp32 angle = position × inv_freq, then cos/sin), so positions up to 8k match its rounding.
struct RotaryTable {
    let half: Int
    let invFreq: [Float]

    init(config: ModelConfig, freqFactors: [Float]?) {
        half = config.headDim / 2
        let d = Float(config.headDim)
        invFreq = (0..<half).map { i in
            var f = 1 / powf(config.ropeTheta, Float(2 * i) / d)
            if let freqFactors { f /= freqFactors[i] }
            return f / config.ropeLinearScale
        }
    }

    /// Fills cos/sin [rows][half] for positions first..<first+rows.
    func fill(first: Int, rows: Int, cos c: UnsafeMutablePointer<Float>, sin s: UnsafeMutablePointer<Float>) {
        for r in 0..<rows {
            let p = Float(first + r)
            for i in 0..<half {
                let angle = Double(p * invFreq[i])
                c[r * half + i] = Float(Foundation.cos(angle))
                s[r * half + i] = Float(Foundation.sin(angle))
            }
        }
    }
}
