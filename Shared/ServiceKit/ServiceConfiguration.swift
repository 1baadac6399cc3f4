import ArgumentParser
import Foundation
import Logging

/// The fixed facts of one bounded context: its names and where its settings come from.
public struct ServiceIdentity: Sendable {
    /// The executable's name, also the default socket and database file names: `scoring-intake`.
    public let executableName: String
    /// The proto service it serves: `training.v1.ScoringIntake`.
    public let protoServiceName: String
    /// Prefix of its environment variables: `TRAINING_INTAKE` gives `TRAINING_INTAKE_SOCKET`.
    public let environmentPrefix: String

    public init(executableName: String, protoServiceName: String, environmentPrefix: String) {
        self.executableName = executableName
        self.protoServiceName = protoServiceName
        self.environmentPrefix = environmentPrefix
    }

    /// Where the run command puts the socket when nothing else is said.
    public var defaultSocketPath: String { "var/run/\(executableName).sock" }
    public var defaultDatabasePath: String { "var/data/\(executableName).sqlite" }
}

/// The command-line flags every service executable takes. All optional: a flag wins
/// over the environment, which wins over the configuration file, which wins over defaults.
public struct ServiceOptions: ParsableArguments, Sendable {
    @Option(name: .long, help: "Unix socket path to listen on.")
    public var socket: String?
    @Option(name: .long, help: "SQLite database file of this service.")
    public var database: String?
    @Option(name: .long, help: "JSON configuration file.")
    public var config: String?
    @Option(name: .customLong("socket-mode"), help: "Socket file permissions, octal (default 0660).")
    public var socketMode: String?
    @Option(name: .customLong("max-frame-bytes"), help: "Largest frame accepted (default 16777216).")
    public var maxFrameBytes: Int?
    @Option(name: .customLong("default-timeout-ms"), help: "Timeout of calls that carry none (default 30000).")
    public var defaultTimeoutMs: Int?
    @Option(name: .customLong("shutdown-grace-ms"), help: "How long calls in flight may finish after SIGTERM (default 10000).")
    public var shutdownGraceMs: Int?
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical (default info).")
    public var logLevel: String?
    @Option(name: .customLong("clock-start"), help: "Start the service clock at this RFC 3339 instant (demos, tests).")
    public var clockStart: String?
    @Option(name: .long, help: "SQLite synchronous mode: full (default) or normal.")
    public var synchronous: String?
    @Option(name: .customLong("consumer"), help: "An event consumer, NAME=SOCKET (repeatable).")
    public var consumers: [String] = []
    @Option(name: .customLong("event-max-rejections"), help: "Rejections after which an event is parked (default 5).")
    public var eventMaxRejections: Int?

    public init() {}
}

/// A configuration that cannot be used; the executable prints it and exits 78 (EX_CONFIG).
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public let setting: String
    public let problem: String

    public init(_ setting: String, _ problem: String) {
        self.setting = setting
        self.problem = problem
    }

    public var description: String { "\(setting): \(problem)" }
}

/// One service's validated settings.
///
/// Why one value: every setting is checked once at start, with the source it came from
/// in the error, so a bad deployment fails at once with a clear message instead of at
/// the first call that needs the setting.
public struct ServiceConfiguration: Sendable {
    public var socketPath: String
    public var databasePath: String
    public var socketMode: UInt32 = 0o660
    public var maximumFrameBytes: Int = 16 * 1024 * 1024
    public var defaultTimeoutMilliseconds: Int = 30_000
    public var maximumTimeoutMilliseconds: Int = 3_600_000
    public var shutdownGraceMilliseconds: Int = 10_000
    public var logLevel: Logger.Level = .info
    /// When set, the service clock starts at this instant and runs at real speed from there.
    public var clockStart: Date?
    /// SQLite `PRAGMA synchronous`: FULL makes every acknowledged commit survive power loss.
    public var synchronousFull: Bool = true
    /// Where this service's events go (flag `--consumer NAME=SOCKET`, environment
    /// `<PREFIX>_CONSUMERS=name=socket,name=socket`, file key `consumers` {name: socket}).
    public var eventConsumers: [EventConsumer] = []
    /// How often a consumer may reject an event (not be down: reject it) before it is parked.
    public var eventMaximumRejections = 5
    /// The policy sections of the configuration file, for the service to read (thresholds, windows).
    public var policies: [String: ConfigurationValue] = [:]

    public init(socketPath: String, databasePath: String) {
        self.socketPath = socketPath
        self.databasePath = databasePath
    }

    /// Resolves flags > environment > configuration file > defaults, and validates the result.
    public static func resolve(
        identity: ServiceIdentity, options: ServiceOptions, environment: [String: String]
    ) throws(ConfigurationError) -> ServiceConfiguration {
        let prefix = identity.environmentPrefix
        func env(_ name: String) -> (String, String)? {
            let key = "\(prefix)_\(name)"
            guard let value = environment[key], !value.isEmpty else { return nil }
            return (value, "environment \(key)")
        }
        let configPath = options.config ?? env("CONFIG")?.0
        let file = try configPath.map { path throws(ConfigurationError) in try ConfigurationFile.load(path) } ?? ConfigurationFile()

        func pick(_ flag: String?, _ flagName: String, _ envName: String, _ fileKey: String) -> (String, String)? {
            if let flag { return (flag, "--\(flagName)") }
            if let fromEnv = env(envName) { return fromEnv }
            if let fromFile = file.string(fileKey) { return (fromFile, "\(file.path ?? "config") key \(fileKey)") }
            return nil
        }

        var configuration = ServiceConfiguration(
            socketPath: pick(options.socket, "socket", "SOCKET", "socket")?.0 ?? identity.defaultSocketPath,
            databasePath: pick(options.database, "database", "DATABASE", "database")?.0 ?? identity.defaultDatabasePath)

        if let (text, source) = pick(options.socketMode, "socket-mode", "SOCKET_MODE", "socket_mode") {
            guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
                throw ConfigurationError(source, "\"\(text)\" is not an octal file mode such as 0660")
            }
            configuration.socketMode = mode
        }
        func integer(_ flag: Int?, _ flagName: String, _ envName: String, _ key: String, _ range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
            guard let (text, source) = pick(flag.map(String.init), flagName, envName, key) else { return nil }
            guard let value = Int(text), range.contains(value) else {
                throw ConfigurationError(source, "\"\(text)\" must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
        if let value = try integer(options.maxFrameBytes, "max-frame-bytes", "MAX_FRAME_BYTES", "max_frame_bytes", 1024...(1 << 30)) {
            configuration.maximumFrameBytes = value
        }
        if let value = try integer(options.defaultTimeoutMs, "default-timeout-ms", "DEFAULT_TIMEOUT_MS", "default_timeout_ms", 1...3_600_000) {
            configuration.defaultTimeoutMilliseconds = value
        }
        if let value = try integer(options.shutdownGraceMs, "shutdown-grace-ms", "SHUTDOWN_GRACE_MS", "shutdown_grace_ms", 0...600_000) {
            configuration.shutdownGraceMilliseconds = value
        }
        if let (text, source) = pick(options.logLevel, "log-level", "LOG_LEVEL", "log_level") {
            guard let level = Logger.Level(rawValue: text.lowercased()) else {
                throw ConfigurationError(source, "\"\(text)\" is not one of trace, debug, info, notice, warning, error, critical")
            }
            configuration.logLevel = level
        }
        if let (text, source) = pick(options.clockStart, "clock-start", "CLOCK_START", "clock_start") {
            guard let date = ISO8601DateFormatter().date(from: text) else {
                throw ConfigurationError(source, "\"\(text)\" is not an RFC 3339 time such as 2026-11-02T09:00:00+08:00")
            }
            configuration.clockStart = date
        }
        if let (text, source) = pick(options.synchronous, "synchronous", "SYNCHRONOUS", "synchronous") {
            switch text.lowercased() {
            case "full": configuration.synchronousFull = true
            case "normal": configuration.synchronousFull = false
            default: throw ConfigurationError(source, "\"\(text)\" must be full or normal")
            }
        }
        configuration.eventConsumers = try consumers(options.consumers, env("CONSUMERS"), file)
        if let value = try integer(options.eventMaxRejections, "event-max-rejections", "EVENT_MAX_REJECTIONS", "event_max_rejections", 1...1000) {
            configuration.eventMaximumRejections = value
        }
        configuration.policies = file.policies
        try configuration.validatePaths()
        return configuration
    }

    private static func consumers(
        _ flags: [String], _ environment: (String, String)?, _ file: ConfigurationFile
    ) throws(ConfigurationError) -> [EventConsumer] {
        var pairs: [(String, String)] = []
        if !flags.isEmpty {
            pairs = flags.map { ($0, "--consumer") }
        } else if let (text, source) = environment {
            pairs = text.split(separator: ",").map { (String($0), source) }
        } else if case .object(let object) = file.values["consumers"] {
            for (name, value) in object.sorted(by: { $0.key < $1.key }) {
                guard case .string(let path) = value else { throw ConfigurationError("consumers.\(name)", "must be a socket path") }
                pairs.append(("\(name)=\(path)", "consumers"))
            }
        }
        var result: [EventConsumer] = []
        for (text, source) in pairs {
            let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, parts[1].utf8.count <= 107 else {
                throw ConfigurationError(source, "\"\(text)\" must be NAME=SOCKET_PATH")
            }
            guard !result.contains(where: { $0.name == parts[0] }) else {
                throw ConfigurationError(source, "consumer \(parts[0]) is named twice")
            }
            result.append(EventConsumer(name: parts[0], socketPath: parts[1]))
        }
        return result
    }

    private func validatePaths() throws(ConfigurationError) {
        // sockaddr_un holds 108 bytes including the terminating NUL.
        guard !socketPath.isEmpty, socketPath.utf8.count <= 107 else {
            throw ConfigurationError("socket", "\"\(socketPath)\" must be 1 to 107 bytes long (a Unix socket path limit)")
        }
        guard !databasePath.isEmpty else { throw ConfigurationError("database", "must not be empty") }
        for (setting, path) in [("socket", socketPath), ("database", databasePath)] {
            let directory = (path as NSString).deletingLastPathComponent
            guard !directory.isEmpty else { continue }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw ConfigurationError(setting, "cannot create the directory \(directory): \(error.localizedDescription)")
            }
        }
    }
}

/// A value from the JSON configuration file, kept for the service's own policies.
public enum ConfigurationValue: Sendable, Hashable, Decodable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case list([ConfigurationValue])
    case object([String: ConfigurationValue])
    case null

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigurationValue].self) {
            self = .list(value)
        } else {
            self = .object(try container.decode([String: ConfigurationValue].self))
        }
    }
}

/// The JSON configuration file: top-level keys for the settings above (`socket`,
/// `database`, `socket_mode`, …) and a `policies` object the service interprets.
struct ConfigurationFile {
    var path: String?
    var values: [String: ConfigurationValue] = [:]

    static func load(_ path: String) throws(ConfigurationError) -> ConfigurationFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ConfigurationError("config", "cannot read \(path)")
        }
        do {
            let values = try JSONDecoder().decode([String: ConfigurationValue].self, from: data)
            return ConfigurationFile(path: path, values: values)
        } catch {
            throw ConfigurationError("config", "\(path) is not a JSON object: \(error)")
        }
    }

    func string(_ key: String) -> String? {
        switch values[key] {
        case .string(let value): value
        case .number(let value): value == value.rounded() ? String(Int(value)) : String(value)
        case .bool(let value): String(value)
        default: nil
        }
    }

    var policies: [String: ConfigurationValue] {
        if case .object(let object) = values["policies"] { return object }
        return [:]
    }
}
