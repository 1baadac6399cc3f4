/// The product's version, reported by health checks and `--version`.
public enum ServiceVersion {
    public static let current = "0.1.0"
}
