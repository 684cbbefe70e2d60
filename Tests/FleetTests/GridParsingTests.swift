import FleetCore
import Testing

@Suite struct GridParsingTests {
    @Test func rangeIsInclusiveLikeTheNeedleDriver() throws {
        #expect(try GridParsing.integers("1000:8000:100", field: "lengths").count == 71)
        #expect(try GridParsing.integers("1000:1300:100", field: "lengths") == [1000, 1100, 1200, 1300])
        #expect(try GridParsing.integers("1000:1250:100", field: "lengths") == [1000, 1100, 1200])
    }

    @Test func commaListAndSingleValue() throws {
        #expect(try GridParsing.integers("64, 128,256", field: "budgets") == [64, 128, 256])
        #expect(try GridParsing.integers("512", field: "lengths") == [512])
    }

    @Test func depthCountIsRoundedLinspaceWithHalfEven() throws {
        #expect(try GridParsing.depths("10") == [0, 11, 22, 33, 44, 56, 67, 78, 89, 100])
        // linspace(0, 100, 9) has exact halves 12.5, 37.5, 62.5, 87.5: Python rounds them to even.
        #expect(try GridParsing.depths("9") == [0, 12, 25, 38, 50, 62, 75, 88, 100])
        #expect(try GridParsing.depths("1") == [0])
        #expect(try GridParsing.depths("3") == [0, 50, 100])
    }

    @Test func depthListsAndRanges() throws {
        #expect(try GridParsing.depths("0,50,100") == [0, 50, 100])
        #expect(try GridParsing.depths("0:100:25") == [0, 25, 50, 75, 100])
    }

    @Test func errorsNameTheOptionAndText() {
        #expect(throws: GridParseError(field: "lengths", text: "1000:x:100",
                                       reason: "expected a:b:step with three integers")) {
            try GridParsing.integers("1000:x:100", field: "lengths")
        }
        #expect(throws: GridParseError(field: "lengths", text: "10,ab", reason: "'ab' is not an integer")) {
            try GridParsing.integers("10,ab", field: "lengths")
        }
        #expect(throws: GridParseError(field: "depths", text: "0,150", reason: "depth 150 is outside 0...100")) {
            try GridParsing.depths("0,150")
        }
        #expect(throws: GridParseError(field: "lengths", text: "5:1:1", reason: "start 5 is after end 1")) {
            try GridParsing.integers("5:1:1", field: "lengths")
        }
        #expect(throws: GridParseError(field: "depths", text: "0", reason: "a depth count must be at least 1")) {
            try GridParsing.depths("0")
        }
    }
}
