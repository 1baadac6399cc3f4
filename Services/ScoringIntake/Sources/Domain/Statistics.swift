/// Count, mean and standard error of a set of scores, built incrementally.
///
/// Why the standard error travels with every average: a team leader deciding whether
/// an agent is really below 86 needs to know whether the average rests on 4 calls or 40.
public struct ScoreStatistics: Sendable, Hashable {
    public private(set) var count: Int = 0
    public private(set) var sum: Double = 0
    public private(set) var sumOfSquares: Double = 0

    public init() {}

    public init(count: Int, sum: Double, sumOfSquares: Double) {
        self.count = count
        self.sum = sum
        self.sumOfSquares = sumOfSquares
    }

    public mutating func add(_ value: Double) {
        count += 1
        sum += value
        sumOfSquares += value * value
    }

    public mutating func merge(_ other: ScoreStatistics) {
        count += other.count
        sum += other.sum
        sumOfSquares += other.sumOfSquares
    }

    public var mean: Double { count == 0 ? 0 : sum / Double(count) }

    /// Sample variance (n - 1); 0 below two values.
    public var variance: Double {
        guard count >= 2 else { return 0 }
        let n = Double(count)
        return max(0, (sumOfSquares - sum * sum / n) / (n - 1))
    }

    /// Standard error of the mean; 0 below two values.
    public var standardError: Double {
        guard count >= 2 else { return 0 }
        return (variance / Double(count)).squareRoot()
    }
}

extension ScoreStatistics {
    /// A signed change to running totals: evaluations added and removed (corrections, voids).
    public struct Delta: Sendable, Hashable {
        public private(set) var count = 0
        public private(set) var sum: Double = 0
        public private(set) var sumOfSquares: Double = 0

        public init() {}

        public mutating func add(_ value: Double) {
            count += 1
            sum += value
            sumOfSquares += value * value
        }

        public mutating func remove(_ value: Double) {
            count -= 1
            sum -= value
            sumOfSquares -= value * value
        }
    }
}
