/// Groups samples into jobs of about `targetTokens` prompt tokens (design §4: a job is
/// config × shard of samples, sized by prompt tokens). Keeps the input order; a sample larger
/// than the target gets a shard of its own.
public enum ShardPlanner {
    public static func shards<Item>(_ items: [Item], targetTokens: Int,
                                    tokens: (Item) -> Int) -> [[Item]] {
        var shards: [[Item]] = []
        var current: [Item] = []
        var currentTokens = 0
        for item in items {
            let size = tokens(item)
            if !current.isEmpty && currentTokens + size > targetTokens {
                shards.append(current)
                current = []
                currentTokens = 0
            }
            current.append(item)
            currentTokens += size
        }
        if !current.isEmpty { shards.append(current) }
        return shards
    }
}
