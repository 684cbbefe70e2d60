import FleetCore
import KVEval

// FleetCore and KVEngine both declare `PolicyConfig` and `CacheLayout` (wire form, engine form);
// these short names say which one is meant where both modules are imported.
typealias WirePolicyConfig = PolicyConfig
typealias WireCacheLayout = CacheLayout
/// KVEval's needle heatmap (the coordinator has its own `NeedleHeatmap` over stored results).
typealias EvalNeedleHeatmap = NeedleHeatmap
