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

    static func cells() -> [NeedleCell] {
        var out: [NeedleCell] = []
        for (i, length) in [1000, 1100, 1200].enumerated() {
            for (j, depth) in [0.0, 50.0, 100.0].enumerated() {
                out.append(NeedleCell(length: length, depth: depth, score: Double((i + j) % 3) / 2))
            }
        }
        return out
    }

    @Test func svgStructure() {
        let map = NeedleHeatmap(cells: Self.cells(), model: "SmolLM2-135M")
        #expect(map.lengths == [1000, 1100, 1200] && map.depths == [0, 50, 100])
        let svg = map.svg()
        #expect(svg.components(separatedBy: #"<rect class="cell""#).count - 1 == 9)
        #expect(svg.contains(##"fill="#F0496E" stroke="grey" stroke-width="0.5" data-length="1000" data-depth="0" data-score="0.0""##))
        #expect(svg.contains(##"fill="#EAB839" stroke="grey" stroke-width="0.5" data-length="1100" data-depth="0" data-score="0.5""##))
        #expect(svg.contains(##"fill="#0CD79F" stroke="grey" stroke-width="0.5" data-length="1200" data-depth="0" data-score="1.0""##))
        #expect(svg.contains("Pressure Testing SmolLM2-135M"))
        #expect(svg.contains("Token Limit") && svg.contains("Depth Percent"))
        #expect(svg.contains("Overall score: 0.500 (acc 50.0)"))
        #expect(svg.hasPrefix("<svg") && svg.hasSuffix("</svg>\n"))
    }

    @Test func repeatedCellsAreAveragedAndMissingCellsLeftBlank() {
        let map = NeedleHeatmap(cells: [
            NeedleCell(length: 1000, depth: 0, score: 1), NeedleCell(length: 1000, depth: 0, score: 0),
            NeedleCell(length: 2000, depth: 50, score: 1),
        ], model: "m")
        #expect(map.grid == [[0.5, nil], [nil, 1.0]])
        #expect(map.svg().components(separatedBy: #"<rect class="cell""#).count - 1 == 2)
        #expect(abs(map.overallScore - 2.0 / 3.0) < 1e-15)
    }

    @Test func terminalRendering() {
        let text = NeedleHeatmap(cells: Self.cells(), model: "m").ansi()
        #expect(text.components(separatedBy: "\u{1B}[48;2;240;73;110m").count - 1 == 3)
        #expect(text.components(separatedBy: "\u{1B}[48;2;12;215;159m").count - 1 == 3)
        #expect(text.components(separatedBy: "\u{1B}[48;2;234;184;57m").count - 1 == 3)
        #expect(text.contains("Overall score: 0.500"))
        #expect(text.contains("1000"))
    }
}
