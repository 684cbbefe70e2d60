/// A policy with the budget it runs under: what the engine compresses with. The wire keeps
/// budgets apart (an experiment crosses policies with budgets; a job carries one of each), so
/// this pair exists only where a policy runs. Reads through to the policy's parameters
/// (`p.kernel`, `p.effectiveWindow`), so there is one definition of each.
@dynamicMemberLookup
public struct BudgetedPolicy: Codable, Sendable, Hashable {
    public var policy: PolicyConfig
    /// Tokens kept per layer, window included ("KV size").
    public var budget: Int

    public init(_ policy: PolicyConfig, budget: Int) {
        self.policy = policy
        self.budget = budget
    }

    public subscript<T>(dynamicMember keyPath: KeyPath<PolicyConfig, T>) -> T { policy[keyPath: keyPath] }

    /// `PolicyConfig.validate(budget:)` with this budget.
    public func validate() throws(PolicyError) { try policy.validate(budget: budget) }
}
