import Foundation

/// Student's t distribution: its cumulative probability and its quantile, for any positive
/// (also fractional) degrees of freedom.
///
/// Why written here rather than taken from a library: Welch's interval needs the t quantile
/// at the fractional degrees of freedom of Welch–Satterthwaite, Foundation has none, and a
/// statistics package for one function is a dependency the service does not need. The
/// quantile is found by safeguarded Newton steps on the exact distribution function (the
/// regularized incomplete beta function, by Lentz's continued fraction), so it is as
/// precise as that function: about 1e-12, checked against published tables.
public enum StudentT {
    /// P(T ≤ t) for T with `degreesOfFreedom` (> 0; `.infinity` is the standard normal).
    /// `nil` for a NaN `t` or degrees of freedom that are not positive.
    public static func cumulativeProbability(_ t: Double, degreesOfFreedom: Double) -> Double? {
        guard !t.isNaN, degreesOfFreedom > 0 else { return nil }
        let tail = upperTail(abs(t), degreesOfFreedom)
        return t >= 0 ? 1 - tail : tail
    }

    /// The value t with P(T ≤ t) = `p`, for 0 < `p` < 1 and `degreesOfFreedom` > 0
    /// (`.infinity` gives the standard normal quantile). `nil` outside that domain.
    public static func quantile(_ p: Double, degreesOfFreedom: Double) -> Double? {
        guard p > 0, p < 1, degreesOfFreedom > 0 else { return nil }
        if p == 0.5 { return 0 }
        // Work in the upper tail, where the small probabilities keep their precision.
        let tail = p > 0.5 ? 1 - p : p
        let magnitude = upperQuantile(tail: tail, degreesOfFreedom)
        return p > 0.5 ? magnitude : -magnitude
    }

    // MARK: The distribution

    /// Above this many degrees of freedom the Cornish–Fisher expansion around the normal
    /// quantile is exact to double precision (its next term is of order ν⁻³), and it
    /// spares the continued fraction the O(√ν) steps it would need.
    static let expansionThreshold = 1e7

    /// P(T > t) for t ≥ 0.
    static func upperTail(_ t: Double, _ nu: Double) -> Double {
        if t == 0 { return 0.5 }
        if nu == .infinity { return 0.5 * erfc(t / 2.0.squareRoot()) }
        let t2 = t * t
        // x = ν/(ν+t²) and 1−x computed apart, so that neither loses digits to cancellation.
        let x = nu / (nu + t2)
        let y = t2 / (nu + t2)
        return 0.5 * regularizedIncompleteBeta(x: x, complement: y, a: nu / 2, b: 0.5)
    }

    /// The density of T at t.
    static func density(_ t: Double, _ nu: Double) -> Double {
        if nu == .infinity { return exp(-0.5 * t * t) / (2 * Double.pi).squareRoot() }
        let logNormalizer = lnGamma((nu + 1) / 2) - lnGamma(nu / 2) - 0.5 * log(nu * .pi)
        return exp(logNormalizer - (nu + 1) / 2 * log1p(t * t / nu))
    }

    /// The t > 0 with P(T > t) = `tail`, for 0 < `tail` < 0.5.
    static func upperQuantile(tail: Double, _ nu: Double) -> Double {
        if nu > expansionThreshold, nu != .infinity {
            // Abramowitz & Stegun 26.7.5, first two terms, around the exact normal quantile.
            let z = upperQuantile(tail: tail, .infinity)
            let z2 = z * z
            let g1 = (z2 + 1) * z / 4
            let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
            return z + g1 / nu + g2 / (nu * nu)
        }
        // Start from the normal guess widened for few degrees of freedom, bracket, then
        // Newton steps that fall back to bisection whenever they leave the bracket.
        let z = normalGuess(tail: tail)
        var guess = nu == .infinity ? z : z + (z * z + 1) * z / (4 * nu)
        if !(guess > 0) || !guess.isFinite { guess = 1 }
        var low = 0.0
        var high = guess
        var doublings = 0
        while upperTail(high, nu) > tail {
            low = high
            high *= 2
            doublings += 1
            if !high.isFinite || doublings > 2_000 { return .infinity }
        }
        var t = min(max(guess, low), high)
        for _ in 0..<200 {
            let excess = upperTail(t, nu) - tail  // > 0 while t is too small
            if excess == 0 { return t }
            if excess > 0 { low = t } else { high = t }
            let slope = density(t, nu)
            var next = t + excess / slope
            if !(next > low && next < high) || !next.isFinite { next = (low + high) / 2 }
            if abs(next - t) <= 1e-14 * max(1, abs(t)) || high - low <= 1e-14 * max(1, high) { return next }
            t = next
        }
        return t
    }

    /// A starting value for the normal upper quantile, good to about 4.5e-4
    /// (Abramowitz & Stegun 26.2.23); the Newton steps make it exact.
    static func normalGuess(tail: Double) -> Double {
        let w = (-2 * log(tail)).squareRoot()
        return w - (2.515517 + 0.802853 * w + 0.010328 * w * w) / (1 + 1.432788 * w + 0.189269 * w * w + 0.001308 * w * w * w)
    }

    // MARK: Special functions

    /// ln Γ(x) for x > 0, by the Lanczos approximation (g = 7, nine terms; relative error
    /// about 1e-15), with the reflection formula below ½.
    static func lnGamma(_ x: Double) -> Double {
        if x < 0.5 { return log(Double.pi / abs(sin(Double.pi * x))) - lnGamma(1 - x) }
        let coefficients: [Double] = [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7,
        ]
        let z = x - 1
        var sum = coefficients[0]
        for i in 1..<coefficients.count { sum += coefficients[i] / (z + Double(i)) }
        let t = z + 7.5
        return 0.5 * log(2 * Double.pi) + (z + 0.5) * log(t) - t + log(sum)
    }

    /// I_x(a, b), the regularized incomplete beta function, given x and 1−x (`complement`)
    /// separately for precision near 1.
    static func regularizedIncompleteBeta(x: Double, complement y: Double, a: Double, b: Double) -> Double {
        if x <= 0 { return 0 }
        if y <= 0 { return 1 }
        let logFront = lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * log(x) + b * log(y)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * betaContinuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * betaContinuedFraction(x: y, a: b, b: a) / b
    }

    /// The continued fraction of the incomplete beta function, by the modified Lentz method.
    static func betaContinuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-15
        let sum = a + b
        let aPlusOne = a + 1
        let aMinusOne = a - 1
        var c = 1.0
        var d = 1 - sum * x / aPlusOne
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        var m = 1.0
        while m <= 100_000 {
            let m2 = 2 * m
            var step = m * (b - m) * x / ((aMinusOne + m2) * (a + m2))
            d = 1 + step * d
            if abs(d) < tiny { d = tiny }
            c = 1 + step / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            step = -(a + m) * (sum + m) * x / ((a + m2) * (aPlusOne + m2))
            d = 1 + step * d
            if abs(d) < tiny { d = tiny }
            c = 1 + step / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
            m += 1
        }
        return h
    }
}

/// A small, fast, seeded random number generator (SplitMix64, Steele, Lea & Flood 2014).
///
/// Why not `SystemRandomNumberGenerator`: a bootstrap interval must come out the same
/// every time it is asked for with the same seed, so a report can be regenerated and a
/// test can pin its numbers; and Swift promises no particular sequence for its own
/// generators. SplitMix64 is the reference seeding generator of the xoshiro family, with
/// published output to test against.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    public private(set) var state: UInt64

    public init(seed: UInt64) {
        state = seed
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform index in 0..<`count` (`count` > 0), by Lemire's multiply-high: one
    /// multiplication, and a bias below count/2⁶⁴, far beneath anything a bootstrap sees.
    @inline(__always)
    public mutating func index(below count: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(truncatingIfNeeded: count)).high)
    }

    /// A uniform double in [0, 1) with 53 random bits.
    public mutating func unitInterval() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }
}
