import Foundation
import KVEngine
import Testing
import TestSupport
import Assets

@Suite("GGUF reader")
struct GGUFReaderTests {
    /// A file holding one key of every value type and two F32 tensors.
    static func sampleFile(version: UInt32, alignment: UInt32? = nil) -> GGUFTestWriter {
        var w = GGUFTestWriter()
        let kvCount: UInt64 = 14 + (alignment == nil ? 0 : 1)
        w.header(version: version, tensors: 2, kvs: kvCount)
        w.kv("t.u8", type: 0) { $0.u8(200) }
        w.kv("t.i8", type: 1) { $0.raw(Int8(-5)) }
        w.kv("t.u16", type: 2) { $0.raw(UInt16(60000).littleEndian) }
        w.kv("t.i16", type: 3) { $0.raw(Int16(-30000).littleEndian) }
        w.kv("t.u32", type: 4) { $0.u32(4_000_000_000) }
        w.kv("t.i32", type: 5) { $0.raw(Int32(-2_000_000_000).littleEndian) }
        w.kv("t.f32", type: 6) { $0.raw(Float(1.5)) }
        w.kv("t.bool", type: 7) { $0.u8(1) }
        w.kv("t.str", type: 8) { $0.string("héllo") }
        w.kv("t.arr", type: 9) { w in w.u32(8); w.u64(2); w.string("a"); w.string("bc") }
        w.kv("t.u64", type: 10) { $0.u64(UInt64(1) << 40) }
        w.kv("t.i64", type: 11) { $0.raw(Int64(-1) << 40) }
        w.kv("t.f64", type: 12) { $0.raw(Double(2.25)) }
        w.kv("t.nested", type: 9) { w in
            w.u32(9); w.u64(1)            // array of arrays
            w.u32(5); w.u64(2); w.raw(Int32(7)); w.raw(Int32(-8))
        }
        if let alignment { w.kv("general.alignment", type: 4) { $0.u32(alignment) } }
        w.tensorInfo("a", shape: [4], type: 0, offset: 0)
        w.tensorInfo("b", shape: [2, 2], type: 0, offset: UInt64(alignment ?? 32))
        w.pad(to: Int(alignment ?? 32))
        for v: Float in [1, 2, 3, 4] { w.raw(v) }
        w.pad(to: Int(alignment ?? 32))
        for v: Float in [5, 6, 7, 8] { w.raw(v) }
        return w
    }

    @Test("reads every metadata value type, tensor infos and data", arguments: [UInt32(2), 3])
    func readsAllTypes(version: UInt32) throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("ok.gguf")
        try Self.sampleFile(version: version).write(to: path)
        let f = try GGUFFile(path: path)
        #expect(f.version == version)
        #expect(f.metadata["t.u8"] == .uint8(200))
        #expect(f.metadata["t.i8"] == .int8(-5))
        #expect(f.metadata["t.u16"] == .uint16(60000))
        #expect(f.metadata["t.i16"] == .int16(-30000))
        #expect(try f.int("t.u32") == 4_000_000_000)
        #expect(f.metadata["t.i32"] == .int32(-2_000_000_000))
        #expect(f.metadata["t.f32"] == .float32(1.5))
        #expect(f.metadata["t.bool"] == .bool(true))
        #expect(try f.string("t.str") == "héllo")
        #expect(try f.stringArray("t.arr") == ["a", "bc"])
        #expect(try f.int("t.u64") == 1 << 40)
        #expect(try f.int("t.i64") == -(1 << 40))
        #expect(try f.double("t.f64") == 2.25)
        #expect(f.metadata["t.nested"] == .array([.array([.int32(7), .int32(-8)])]))
        #expect(f.metadataKeys.first == "t.u8")
        let b = try f.tensor("b")
        #expect(b.shape == [2, 2] && b.type == .f32 && b.byteCount == 16)
        #expect(Dequantize.toFloat(f.data(of: b), type: .f32, count: 4) == [5, 6, 7, 8])
        #expect(Dequantize.toFloat(f.data(of: try f.tensor("a")), type: .f32, count: 4) == [1, 2, 3, 4])
    }

    @Test("honours general.alignment")
    func alignment() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("al.gguf")
        try Self.sampleFile(version: 3, alignment: 64).write(to: path)
        let f = try GGUFFile(path: path)
        #expect(f.alignment == 64)
        #expect(try f.tensor("a").fileOffset % 64 == 0)
        #expect(Dequantize.toFloat(f.data(of: try f.tensor("b")), type: .f32, count: 4) == [5, 6, 7, 8])
    }

    @Test("wrong magic names the file and the bytes found")
    func badMagic() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("bad.gguf")
        try Data("GGML0000000000000000000000".utf8).write(to: URL(fileURLWithPath: path))
        let e = try #require(throws: GGUFError.self) { try GGUFFile(path: path) }
        #expect(e == .badMagic(file: path, found: "\"GGML\""))
        #expect(e.description.contains(path))
    }

    @Test("unsupported version")
    func badVersion() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("v9.gguf")
        var w = GGUFTestWriter()
        w.header(version: 9, tensors: 0, kvs: 0)
        try w.write(to: path)
        #expect(throws: GGUFError.unsupportedVersion(file: path, version: 9)) { try GGUFFile(path: path) }
    }

    @Test("every truncation of a valid file is an error, never a crash")
    func truncations() throws {
        let dir = try TemporaryDirectory()
        let full = Self.sampleFile(version: 3).bytes
        let path = dir.path("cut.gguf")
        // Cut inside the header and metadata, and inside the tensor data.
        for cut in Array(stride(from: 1, to: full.count - 40, by: 7)) + [full.count - 1] {
            try Data(full[..<cut]).write(to: URL(fileURLWithPath: path))
            #expect(throws: GGUFError.self, "cut at \(cut) of \(full.count)") { try GGUFFile(path: path) }
        }
    }

    @Test("unknown metadata value type names the key")
    func unknownValueType() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("vt.gguf")
        var w = GGUFTestWriter()
        w.header(tensors: 0, kvs: 1)
        w.kv("weird.key", type: 42) { $0.u32(0) }
        try w.write(to: path)
        #expect(throws: GGUFError.unknownValueType(file: path, key: "weird.key", type: 42)) { try GGUFFile(path: path) }
    }

    @Test("unknown tensor type names the tensor")
    func unknownTensorType() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("tt.gguf")
        var w = GGUFTestWriter()
        w.header(tensors: 1, kvs: 0)
        w.tensorInfo("blk.0.x", shape: [32], type: 23, offset: 0)
        w.pad(to: 32)
        w.bytes += [UInt8](repeating: 0, count: 64)
        try w.write(to: path)
        #expect(throws: GGUFError.unknownTensorType(file: path, tensor: "blk.0.x", type: 23)) { try GGUFFile(path: path) }
    }

    @Test("tensor past the end of the file")
    func outOfBounds() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("oob.gguf")
        var w = GGUFTestWriter()
        w.header(tensors: 1, kvs: 0)
        w.tensorInfo("big", shape: [1024], type: 0, offset: 0)
        w.pad(to: 32)
        w.bytes += [UInt8](repeating: 0, count: 16)
        try w.write(to: path)
        let e = try #require(throws: GGUFError.self) { try GGUFFile(path: path) }
        guard case let .tensorOutOfBounds(file, tensor, _, size) = e else { Issue.record("got \(e)"); return }
        #expect(file == path && tensor == "big" && size == w.bytes.count)
    }

    @Test("missing and mistyped keys name the key")
    func missingKey() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path("ok.gguf")
        try Self.sampleFile(version: 3).write(to: path)
        let f = try GGUFFile(path: path)
        #expect(throws: GGUFError.missingKey(file: path, key: "llama.block_count")) { try f.int("llama.block_count") }
        #expect(throws: GGUFError.wrongKeyType(file: path, key: "t.str", expected: "integer", found: "string")) { try f.int("t.str") }
        #expect(throws: GGUFError.missingTensor(file: path, tensor: "nope")) { try f.tensor("nope") }
        #expect(throws: GGUFError.missingKey(file: path, key: "general.architecture")) { try ModelConfig(gguf: f) }
    }

    @Test("a missing file is a clear error")
    func missingFile() {
        #expect(throws: GGUFError.self) { try GGUFFile(path: "/nonexistent/model.gguf") }
    }

    @Test("the default model's header")
    func realModel() throws {
        let f = try GGUFFile(path: DefaultAssets.modelPath)
        #expect(f.version == 3)
        #expect(f.tensors.count == 272)
        #expect(try f.string("general.architecture") == "llama")
        #expect(try f.tensor("token_embd.weight").type == .q8_0)
        #expect(try f.tensor("blk.0.attn_q.weight").type == .q4_1)
        let c = try ModelConfig(gguf: f)
        #expect(c.layers == 30 && c.dim == 576 && c.heads == 9 && c.kvHeads == 3 && c.headDim == 64)
        #expect(c.ffnDim == 1536 && c.vocabSize == 49152 && c.ropeTheta == 100_000)
    }
}
