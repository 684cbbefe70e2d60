import KVEngine
import TestSupport
import Assets

/// The fetched assets the model-running suites need; missing ones fail those suites by name.
enum FleetAssets {
    static func requireModel() throws {
        try Prerequisites.require(file: DefaultAssets.modelPath, what: "the default model",
                                  fix: "run `make assets` (scripts/fetch-assets)")
    }

    static func requireModelAndHaystack() throws {
        try requireModel()
        try Prerequisites.require(file: DefaultAssets.haystackDirectory, what: "the needle haystack",
                                  fix: "run `make assets` (scripts/fetch-assets)")
    }
}
