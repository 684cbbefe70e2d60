import KVEval
import Testing

struct HeatmapTests {
    @Test func referenceColours() {
        #expect(NeedleColormap.color(for: 0)?.hex == "#F0496E")
        #expect(NeedleColormap.color(for: 1)?.hex == "#0CD79F")
        // matplotlib's 256-entry LUT: 0.5 → index 128 → position 128/255, just past #EBB839.
        #expect(NeedleColormap.color(for: 0.5)?.hex == "#EAB839")
        #expect(NeedleColormap.color(for: 0.499)?.hex == "#EBB839")
        // Values from matplotlib 3.11 LinearSegmentedColormap.from_list + to_hex.
        #expect(NeedleColormap.color(for: 0.25)?.hex == "#ED8153")
        #expect(NeedleColormap.color(for: 0.75)?.hex == "#7AC86D")
        #expect(NeedleColormap.color(for: 1.0 / 3)?.hex == "#ED934B")
        #expect(NeedleColormap.color(for: -1)?.hex == "#F0496E")
        #expect(NeedleColormap.color(for: 2)?.hex == "#0CD79F")
        #expect(NeedleColormap.color(for: .nan) == nil)
    }

    static func scores() -> [NeedleScore] {
        var out: [NeedleScore] = []
        for (i, length) in [1000, 1100, 1200].enumerated() {
            for (j, depth) in [0, 50, 100].enumerated() {
                out.append(NeedleScore(length: length, depth: depth, score: Double((i + j) % 3) / 2))
            }
        }
        return out
    }

    @Test func svgStructure() {
        let map = NeedleHeatmap(title: "SmolLM2-135M", scores: Self.scores())
        #expect(map.lengths == [1000, 1100, 1200] && map.depths == [0, 50, 100])
        let svg = map.svg()
        #expect(svg.components(separatedBy: #"<rect class="cell""#).count - 1 == 9)
        #expect(svg.contains(##"fill="#F0496E" stroke="grey" stroke-width="0.5" data-length="1000" data-depth="0" data-score="0.0""##))
        #expect(svg.contains(##"fill="#EAB839" stroke="grey" stroke-width="0.5" data-length="1100" data-depth="0" data-score="0.5""##))
        #expect(svg.contains(##"fill="#0CD79F" stroke="grey" stroke-width="0.5" data-length="1200" data-depth="0" data-score="1.0""##))
        #expect(svg.contains("Pressure Testing SmolLM2-135M \n") == false)
        #expect(svg.contains(">Pressure Testing SmolLM2-135M <"))
        #expect(map.svg(model: "SmolLM2").contains(">Pressure Testing SmolLM2, SmolLM2-135M <"))
        #expect(svg.contains("Token Limit") && svg.contains("Depth Percent"))
        #expect(svg.contains("Overall score: 0.500 (acc 50.0)"))
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
    }

    @Test func repeatedCellsAreAveragedAndMissingCellsLeftBlank() {
        let map = NeedleHeatmap(title: "m", scores: [
            NeedleScore(length: 1000, depth: 0, score: 1), NeedleScore(length: 1000, depth: 0, score: 0),
            NeedleScore(length: 2000, depth: 50, score: 1),
        ])
        #expect(map.grid == [[0.5, nil], [nil, 1.0]])
        #expect(map.cells.map(\.n) == [2, 1])
        #expect(map.cells[0].ciLow <= 0.5 && map.cells[0].ciHigh >= 0.5)
        #expect(map.svg().components(separatedBy: #"<rect class="cell""#).count - 1 == 2)
        #expect(abs(map.overall - 2.0 / 3.0) < 1e-15)
    }

    /// One terminal rendering for the local `needle heatmap` and the fleet's `results heatmap`.
    @Test func terminalRendering() {
        let text = NeedleHeatmap(title: "m", scores: Self.scores()).terminalRendering()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0] == "m")
        #expect(lines[1] == "depth\\length 1000 1100 1200")
        #expect(lines[2] == "0               0    5    9")
        #expect(text.contains("overall 0.500 ["))
        #expect(!text.contains("\u{1B}["))  // plain text: fine in logs and pipes
    }
}
