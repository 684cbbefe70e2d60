import FleetCore

// FleetCore's enum `FleetCore` shadows the module name, so `FleetCore.PolicyConfig` cannot
// name the wire type where KVEngine's `PolicyConfig` is also visible; these aliases can.
typealias WirePolicyConfig = PolicyConfig
typealias WireCacheLayout = CacheLayout
