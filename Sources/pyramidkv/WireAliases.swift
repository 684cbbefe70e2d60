import FleetCore
import KVEval

// FleetCore's enum `FleetCore` shadows the module name, so `FleetCore.PolicyConfig` cannot
// name the wire type where KVEngine's `PolicyConfig` is also visible; these aliases can.
typealias WirePolicyConfig = PolicyConfig
typealias WireCacheLayout = CacheLayout
/// KVEval's heatmap (KVEval's enum `KVEval` shadows its module name the same way).
typealias EvalNeedleHeatmap = NeedleHeatmap
