import Foundation

/// SplitMix64 (Steele, Lea and Flood, 2014): a small, fast, seedable generator whose
/// output depends only on the seed, on every platform and Swift version. The demo
/// generator uses nothing else: never the system generator, never the standard library's
/// `random(in:using:)` (whose algorithm may change between releases).
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    /// An independent stream for one purpose (`"roster"`) and one subject (an agent's
    /// index), so that changing how one part is generated leaves the others as they were.
    init(seed: UInt64, stream: String, index: Int = 0) {
        var mixer = SplitMix64(seed: seed ^ 0x5DEE_CE66_D1CE_4E5B)
        var combined = mixer.next()
        for byte in stream.utf8 {
            combined = (combined ^ UInt64(byte)) &* 0x0000_0100_0000_01B3  // FNV-1a prime
        }
        combined ^= UInt64(bitPattern: Int64(index)) &* 0x9E37_79B9_7F4A_7C15
        mixer = SplitMix64(seed: combined)
        state = mixer.next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * unit()
    }

    /// Uniform in the range (Lemire's multiply-shift: no modulo bias worth the name).
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        let span = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next().multipliedFullWidth(by: span).high)
    }

    mutating func chance(_ probability: Double) -> Bool {
        unit() < probability
    }

    /// Normal by Box-Muller (one draw of the pair, so that the stream stays simple).
    mutating func normal(mean: Double = 0, deviation: Double = 1) -> Double {
        let u1 = max(unit(), 0x1.0p-53)
        let u2 = unit()
        return mean + deviation * (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Poisson by Knuth's product method: fine for the small means of weekly complaints.
    mutating func poisson(_ mean: Double) -> Int {
        let limit = exp(-mean)
        var count = 0
        var product = unit()
        while product > limit, count < 1000 {
            count += 1
            product *= unit()
        }
        return count
    }

    /// An index drawn with the given non-negative weights (the last index if all are 0).
    mutating func weightedIndex(_ weights: [Double]) -> Int {
        let total = weights.reduce(0, +)
        var target = unit() * total
        for (index, weight) in weights.enumerated() {
            if target < weight { return index }
            target -= weight
        }
        return max(0, weights.count - 1)
    }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[int(0...(elements.count - 1))]
    }
}
