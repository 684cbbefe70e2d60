/// What a result was computed on (design §4): recorded with every prediction.
public struct HardwareClass: Codable, Sendable, Hashable {
    public var cpu: String
    public var gpu: String?
    public var threads: Int
    /// The activations of the weight products: "fp32" (exact mode) or "int8" (fast mode), as the
    /// job's numerics mode says.
    public var dtype: String
    public var engineVersion: String

    public init(cpu: String, gpu: String? = nil, threads: Int, dtype: String,
                engineVersion: String = EngineVersion.current) {
        self.cpu = cpu
        self.gpu = gpu
        self.threads = threads
        self.dtype = dtype
        self.engineVersion = engineVersion
    }

    private enum CodingKeys: String, CodingKey {
        case cpu, gpu, threads, dtype, engineVersion = "engine_version"
    }
}
