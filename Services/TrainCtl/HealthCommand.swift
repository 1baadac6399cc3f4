import ArgumentParser
import Foundation
import NIOCore
import RPCRuntime
import TrainingWire

/// `trainctl health`: is every service up and serving? Exits 1 if any is not.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health", abstract: "Check that all three services are serving.")

    @OptionGroup var endpoints: ServiceEndpoints
    @Flag(name: .long, help: "Print one JSON document instead of a table.")
    var json = false
    @Option(name: .customLong("timeout-ms"), help: "How long to wait for each service.")
    var timeoutMs: Int64 = 2000

    struct Row: Codable, Sendable {
        var service: String
        var socket: String
        var status: String
        var version: String?
        var schemaVersion: UInt32?
        var uptimeMs: UInt64?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case service, socket, status, version, error
            case schemaVersion = "schema_version"
            case uptimeMs = "uptime_ms"
        }
    }

    func run() async throws {
        let timeout = TimeAmount.milliseconds(timeoutMs)
        let rows = await withTaskGroup(of: (Int, Row).self) { group in
            for (index, endpoint) in endpoints.all.enumerated() {
                group.addTask { (index, await Self.check(endpoint, timeout: timeout)) }
            }
            var rows: [(Int, Row)] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.0 < $1.0 }.map(\.1)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let document = ["services": rows]
            print(String(decoding: try encoder.encode(document), as: UTF8.self))
        } else {
            print(Table(
                header: ["SERVICE", "STATUS", "VERSION", "SCHEMA", "UPTIME", "SOCKET"],
                rows: rows.map { row in
                    [row.service, row.error.map { "\(row.status): \($0)" } ?? row.status, row.version ?? "-",
                     row.schemaVersion.map(String.init) ?? "-", row.uptimeMs.map(Self.formatUptime) ?? "-", row.socket]
                }).rendered)
        }
        if rows.contains(where: { $0.status != "SERVING" }) {
            throw ExitCode(1)
        }
    }

    static func check(_ endpoint: ServiceEndpoints.Endpoint, timeout: TimeAmount) async -> Row {
        var row = Row(service: endpoint.executableName, socket: endpoint.socketPath, status: "UNREACHABLE")
        let client: RPCClient
        do {
            client = try await RPCClient.connect(socketPath: endpoint.socketPath, caller: "trainctl")
        } catch {
            row.error = "\(error)"
            return row
        }
        do {
            let response = try await client.call(
                HealthMethods.check, HealthCheckRequest(service: endpoint.protoServiceName),
                options: CallOptions(timeout: timeout))
            row.status = response.status.protoName
            row.version = response.version
            row.schemaVersion = response.schemaVersion
            row.uptimeMs = response.uptimeMs
        } catch let error as RPCError {
            row.status = error.code.protoName
            row.error = error.message
        } catch {
            row.error = "\(error)"
        }
        await client.close()
        return row
    }

    static func formatUptime(_ milliseconds: UInt64) -> String {
        let seconds = milliseconds / 1000
        if seconds < 60 { return "\(seconds)s" }
        if seconds < 3600 { return "\(seconds / 60)m\(seconds % 60)s" }
        return "\(seconds / 3600)h\(seconds / 60 % 60)m"
    }
}
