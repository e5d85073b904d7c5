/// SplitMix64: a small, fast, well-mixed generator. The corpus never uses Foundation randomness,
/// so a seed names one archive byte for byte on every platform.
public struct SplitMix64: Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// An independent stream for a named purpose (`derive(seed, "client", 7)`), so that adding
    /// draws in one part of the generator does not shift every later part.
    public static func derive(_ seed: UInt64, _ label: String, _ n: UInt64 = 0) -> SplitMix64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in label.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        var g = SplitMix64(seed: seed ^ h ^ (n &* 0x9E37_79B9_7F4A_7C15))
        _ = g.next()
        return SplitMix64(seed: g.next() ^ n)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// 0..<n (n > 0).
    public mutating func int(_ n: Int) -> Int {
        precondition(n > 0)
        return Int(next() % UInt64(n))
    }

    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(range.upperBound - range.lowerBound + 1)
    }

    /// Uniform in [0, 1).
    public mutating func unit() -> Double { Double(next() >> 11) * 0x1p-53 }

    public mutating func chance(_ p: Double) -> Bool { unit() < p }

    public mutating func pick<T>(_ items: [T]) -> T { items[int(items.count)] }

    /// Index chosen with probability proportional to `weights` (all ≥ 0, sum > 0).
    public mutating func weighted(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var x = unit() * total
        for (i, w) in weights.enumerated() {
            if x < w { return i }
            x -= w
        }
        return weights.count - 1
    }

    /// Poisson-distributed count (Knuth for small means, a rounded normal above 30).
    public mutating func poisson(_ mean: Double) -> Int {
        if mean <= 0 { return 0 }
        if mean > 30 {
            // Box-Muller.
            let u1 = max(unit(), 1e-12), u2 = unit()
            let z = (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
            return max(0, Int((mean + z * mean.squareRoot()).rounded()))
        }
        let l = _exp(-mean)
        var k = 0
        var p = 1.0
        repeat {
            k += 1
            p *= unit()
        } while p > l
        return k - 1
    }

    public mutating func shuffled<T>(_ items: [T]) -> [T] {
        var a = items
        if a.count < 2 { return a }
        for i in stride(from: a.count - 1, to: 0, by: -1) {
            a.swapAt(i, int(i + 1))
        }
        return a
    }

    /// `count` distinct items in random order (all of them when there are fewer).
    public mutating func sample<T>(_ items: [T], _ count: Int) -> [T] {
        Array(shuffled(items).prefix(count))
    }
}

// Foundation-free elementary functions (series are enough for the generator's needs and identical everywhere).
@inline(__always) func _exp(_ x: Double) -> Double {
    // exp(x) = 2^k * exp(r), |r| <= ln2/2
    let ln2 = 0.693_147_180_559_945_3
    let k = (x / ln2).rounded()
    let r = x - k * ln2
    var term = 1.0, sum = 1.0
    for i in 1...20 {
        term *= r / Double(i)
        sum += term
    }
    return sum * _pow2(Int(k))
}

@inline(__always) func _pow2(_ k: Int) -> Double {
    var v = 1.0
    if k >= 0 { for _ in 0..<k { v *= 2 } } else { for _ in 0..<(-k) { v /= 2 } }
    return v
}

@inline(__always) func _log(_ x: Double) -> Double {
    // ln(x) = 2 atanh((x-1)/(x+1)) after scaling into [0.5, 1).
    var m = x
    var e = 0
    while m >= 1 { m /= 2; e += 1 }
    while m < 0.5 { m *= 2; e -= 1 }
    let y = (m - 1) / (m + 1)
    let y2 = y * y
    var term = y, sum = 0.0
    var n = 1.0
    for _ in 0..<40 {
        sum += term / n
        term *= y2
        n += 2
    }
    return 2 * sum + Double(e) * 0.693_147_180_559_945_3
}

@inline(__always) func _cos(_ x: Double) -> Double {
    let twoPi = 2 * Double.pi
    var r = x - (x / twoPi).rounded(.down) * twoPi
    if r > Double.pi { r -= twoPi }
    var term = 1.0, sum = 1.0
    let r2 = r * r
    for i in 1...20 {
        term *= -r2 / Double((2 * i - 1) * (2 * i))
        sum += term
    }
    return sum
}

@inline(__always) func _powd(_ base: Double, _ e: Double) -> Double { base <= 0 ? 0 : _exp(e * _log(base)) }
