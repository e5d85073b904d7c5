/// A memo of recent results by their text, bounded by an estimate of the bytes it holds.
///
/// Two generations: results go into the newer one until its budget is spent; then the newer becomes
/// the older and the older is dropped. A result found in the older moves back to the newer, so what
/// keeps recurring stays, as in an LRU cache, without an LRU list's bookkeeping per lookup. At most
/// twice `budget` estimated bytes are held.
///
/// A memo must hold results that do not depend on what else was computed before, so that a hit
/// gives exactly what computing would: then outputs never depend on which worker saw a text first.
struct RecentResults<Value> {
    /// Estimated bytes per generation.
    let budget: Int
    private var newer: [UTF8Key: (value: Value, cost: Int)] = [:]
    private var older: [UTF8Key: (value: Value, cost: Int)] = [:]
    private var newerCost = 0

    /// - Parameter budget: estimated bytes per generation; an entry costing more than a
    ///   sixteenth of it is not kept (one long text must not push out many short ones).
    init(budget: Int) { self.budget = budget }

    /// Entries held, both generations.
    var count: Int { newer.count + older.count }

    /// The result memoized for `text`, if any.
    mutating func lookup(_ text: String) -> Value? {
        let key = UTF8Key(text)
        if let hit = newer[key] { return hit.value }
        guard let hit = older.removeValue(forKey: key) else { return nil }
        add(key, hit)
        return hit.value
    }

    /// Memoizes `value` for `text`; `cost` estimates the bytes both hold.
    mutating func insert(_ text: String, _ value: Value, cost: Int) {
        guard cost <= budget / 16 else { return }
        add(UTF8Key(text), (value, cost))
    }

    private mutating func add(_ key: UTF8Key, _ entry: (value: Value, cost: Int)) {
        if newerCost + entry.cost > budget {
            swap(&older, &newer)
            newer.removeAll(keepingCapacity: true)
            newerCost = 0
        }
        newer[key] = entry
        newerCost += entry.cost
    }
}
